// What other modules (and the CLI, the job runner, the first start) may use of documents.
export { documentManifestPath, loadBundledDocumentsOnce } from "./bundled.js";
export { type AddDocumentsOptions, type AddedDocument, addDocuments } from "./commands/add-documents.js";
export { type DocumentRoutesOptions, documentRoutes } from "./documents.routes.js";
export {
  DEFAULT_LIMITS,
  DEFAULT_THREADS,
  type ExtractionLimits,
  keepSpares,
  runExtraction,
  spareCount,
  spareReady,
  stopSpareWorker,
} from "./extraction.js";
export { type JobResult, runExtractionJob } from "./extraction-job.js";
export { findDocument, getDocument, getDocuments } from "./queries.js";
export { BlobStore } from "./storage.js";
