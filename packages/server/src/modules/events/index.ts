// What other modules may use of events (the dashboard lists them).
export { eventRoutes } from "./events.routes.js";
export { EVENT_SELECT, getEvent } from "./queries.js";
