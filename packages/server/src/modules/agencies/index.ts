// What other modules may use of agencies.
export { agencyRoutes } from "./agencies.routes.js";
export { fieldError } from "./commands/field-error.js";
export { getAgency } from "./queries.js";
