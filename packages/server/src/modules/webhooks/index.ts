// What other modules may use of webhooks: the routes, and the job runner's delivery.
export { DEFAULT_WEBHOOK_OPTIONS, runDeliveryJob, signatureHeaders, type WebhookOptions } from "./deliver.js";
export { webhookRoutes } from "./webhooks.routes.js";
