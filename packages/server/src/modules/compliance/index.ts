export { complianceRoutes } from "./compliance.routes.js";
export { countRollups, refreshComplianceRollups } from "./rollups.js";
