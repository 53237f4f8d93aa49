// What other modules may use of matters (documents, reviews, assignments read them; the commands
// that rename jurisdictions and agencies refresh their search text).

export { mattersOnDay, statusAsOfJoin } from "./as-of.js";
export { matterRoutes } from "./matters.routes.js";
export { findMatter, getMatter } from "./queries.js";
export { refreshMatterSearch } from "./search-text.js";
export { vacuumStatusSpans } from "./status-spans.js";
