// What other modules may use of grants: the dashboard's money and at-risk count; app.ts the routes.
export { grantRoutes } from "./grants.routes.js";
export {
  atRiskJurisdictionsSql,
  conditionStatus,
  moneyRows,
  moneySql,
} from "./money.js";
