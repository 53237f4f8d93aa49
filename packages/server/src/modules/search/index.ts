// Site-wide search over matters, document pages and provisions.

export {
  DEFAULT_SEARCH_QUEUE,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  defaultSearchConcurrency,
  defaultSearchLimits,
  PGLITE_SEARCH_ROUND_MS,
  SearchGate,
  type SearchLimits,
} from "./limits.js";
export { SEARCH_CANDIDATES, searchRegistry, searchStatement } from "./queries.js";
export { searchRoutes } from "./search.routes.js";
