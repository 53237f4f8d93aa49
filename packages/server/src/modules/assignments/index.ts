// The assignments module: which monitors read which matters.
export { assignmentRoutes } from "./assignments.routes.js";
export { findAssignments } from "./queries.js";
