// What other modules may use of provisions (the compliance module rates them; app.ts registers the routes).

export { acceptProvisions } from "./commands/accept-provisions.js";
export { parseDocument } from "./commands/parse-document.js";
export { type ProvisionRow, topicContext, topicsInForce } from "./provisions.presenter.js";
export { provisionRoutes } from "./provisions.routes.js";
export {
  cleanStatus,
  readDeadlineStatuses,
  STATUS_SELECT,
  type StoredStatus,
} from "./queries/deadline-statuses.js";
export { readDeadlines } from "./queries/deadlines.js";
export { getMatterRef, type MatterRef } from "./queries/matter-ref.js";
export { getProvision, getProvisionRow, hasTopic, listMatterProvisions } from "./queries/provisions.js";
