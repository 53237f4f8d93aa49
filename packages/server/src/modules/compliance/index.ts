// What other modules (and app.ts) may use of compliance.
export { loadBundledRatingsHistoriesOnce } from "./bundled-history.js";
export { BUNDLED_MONITORING, loadBundledMonitoringOnce } from "./bundled-monitoring.js";
export { complianceRoutes } from "./compliance.routes.js";
export { periodsOldestFirst } from "./period-order.js";
export { getMatterCompliance } from "./queries/matter-view.js";
export { ratingDraftRoutes } from "./rating-drafts.routes.js";
export { countRollups, refreshComplianceRollups } from "./rollups.js";
export { matterComplianceView } from "./view-cache.js";
