// What other modules may use of provisions (the compliance module rates them).
export { effectiveDateOf } from "./deadlines.js";
export { type ProvisionRow, topicContext, topicsInForce } from "./provisions.presenter.js";
export { getMatterRef, getProvision, getProvisionRow, hasTopic, listMatterProvisions } from "./queries.js";
