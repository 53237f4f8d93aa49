/** HTTP CSV imports: their records (`imports`), failures audited, and Idempotency-Key retries. */
export { importRoutes } from "./imports.routes.js";
export { type ImportAnswer, type ImportRecorder, type ImportRequest, runImport } from "./run-import.js";
