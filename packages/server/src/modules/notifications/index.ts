// What other modules may use of notifications: the routes, and the job runner's dispatch and mail.
export { type DispatchOptions, dispatchNotifications } from "./dispatch.js";
export { type MailConfig, queueDigests, sendPendingMail } from "./mail.js";
export { notificationRoutes } from "./notifications.routes.js";
