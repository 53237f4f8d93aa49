/** The audit log: every change with who made it, when, and what it was before and after. */
export { auditRoutes } from "./audit.routes.js";
export { type AuditFilter, type AuditQuery, findAuditEntries, forReader } from "./queries.js";
export { type AuditActor, type AuditInput, recordAudit } from "./record-audit.js";
export { DENIAL_WINDOW_MS, DenialLog } from "./record-denial.js";
export { type BrokenLink, verifyAuditChain } from "./verify.js";
