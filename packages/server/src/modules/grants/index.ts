// What other modules may use of grants: the dashboard's money and at-risk count.
export { conditionStatus, countAtRiskJurisdictions, moneyRows } from "./money.js";
