// What other modules may use of saved searches: the routes, and reading one (feeds, watches).
export { getSavedSearch } from "./queries.js";
export { savedSearchRoutes } from "./saved-searches.routes.js";
