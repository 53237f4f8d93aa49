export {
  parseAwardsCsv,
  parseConditionsCsv,
  parseCsvFile,
  parseMattersCsv,
} from "./csv-import.js";
export { exportBundle, serializeBundle } from "./export.js";
export { analyzeTables, type ImportSummary, importBundle, parseBundle } from "./import.js";
