// What other modules may use of jurisdictions (matters and agencies check their references).
export { jurisdictionRoutes } from "./jurisdictions.routes.js";
export { findJurisdiction, getJurisdiction } from "./queries.js";
