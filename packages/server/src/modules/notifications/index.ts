// What other modules may use of notifications: the routes, and the job runner's dispatch, deadline
// sweep and mail.

export {
  APPROACHING_DAYS,
  claimDeadlineSweep,
  MISSED_LOOKBACK_DAYS,
  sweepDeadlineNotifications,
} from "./deadlines.js";
export { type DispatchOptions, dispatchNotifications } from "./dispatch.js";
export { type MailConfig, queueDigests, sendPendingMail } from "./mail.js";
export { notificationRoutes } from "./notifications.routes.js";
