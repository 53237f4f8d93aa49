// The dashboard: counts, the yearly chart, the map by state, recent events and upcoming hearings.
export { dashboardRoutes } from "./dashboard.routes.js";
