// What other parts of the server may use of reviews: the routes, and the cycles the first start
// loads from the bundle.
export { createCycle } from "./commands/create-cycle.js";
export { findCycle, getCycle } from "./queries/cycles.js";
export { reviewRoutes } from "./reviews.routes.js";
