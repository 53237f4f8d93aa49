// What other modules may use of statistics: app.ts the routes, server.ts the bundled import.
export { bundledStatisticsDir, loadBundledStatisticsOnce } from "./bundled.js";
export { bundledInvoicesDir, loadBundledMonitoringCostsOnce } from "./monitoring-costs.js";
export { statisticsRoutes } from "./statistics.routes.js";
export { STAGED_ABANDONED_MINUTES, sweepStagedSources } from "./store.js";
