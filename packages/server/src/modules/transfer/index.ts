export { exportBundle, serializeBundle } from "./export.js";
export { type ImportSummary, importBundle, parseBundle, parseMattersCsv } from "./import.js";
