// Site-wide search over matters, document pages and provisions.
export { SEARCH_CANDIDATES, searchRegistry, searchStatement } from "./queries.js";
export { searchRoutes } from "./search.routes.js";
