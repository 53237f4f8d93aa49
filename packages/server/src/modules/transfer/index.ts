export { exportBundle, serializeBundle } from "./export.js";
export { analyzeTables, type ImportSummary, importBundle, parseBundle, parseMattersCsv } from "./import.js";
