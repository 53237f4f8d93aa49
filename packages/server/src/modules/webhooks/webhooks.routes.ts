import { CreateWebhookSchema, NewWebhookSchema, WebhookDeliverySchema, WebhookSchema } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../context/app-error.js";
import { problems } from "../../http/schemas.js";
import { createWebhook, deleteWebhook, redeliver } from "./commands/webhooks.js";
import { getWebhook, listDeliveries, listWebhooks } from "./queries.js";

export interface WebhookRoutesOptions {
  /** Loopback and private receivers may be registered (ACCORD_WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
}

const IdParams = z.strictObject({ id: z.uuid() });
const tags = ["webhooks"];

/** Webhooks for other systems: signed deliveries of changes, retried and logged. */
export const webhookRoutes: FastifyPluginAsyncZod<WebhookRoutesOptions> = async (app, options) => {
  const config = { policy: "webhooks:manage" as const };

  app.get(
    "/webhooks",
    {
      config,
      schema: {
        tags,
        summary: "The registered webhooks",
        response: {
          200: z.object({ items: z.array(WebhookSchema), allowPrivate: z.boolean() }),
          ...problems(401, 403),
        },
      },
    },
    async (req) => ({ items: await listWebhooks(req.ctx), allowPrivate: options.allowPrivate }),
  );

  app.post(
    "/webhooks",
    {
      config,
      schema: {
        tags,
        summary: "Register a webhook; its signing secret is shown only in this answer",
        description:
          "Each delivery is a POST of JSON with `X-Accord-Timestamp` (Unix seconds) and `X-Accord-Signature: sha256=<hex>`, the HMAC-SHA256 with the secret over `<timestamp>.<body>`; failed deliveries are tried again with exponential backoff. Only http(s) addresses; loopback and private ones only when the server allows them.",
        body: CreateWebhookSchema,
        response: { 201: NewWebhookSchema, ...problems(400, 401, 403, 422) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createWebhook(req.body, req.ctx, { allowPrivate: options.allowPrivate })),
  );

  app.delete(
    "/webhooks/:id",
    {
      config,
      schema: {
        tags,
        summary: "Remove a webhook",
        params: IdParams,
        response: { 204: z.null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteWebhook(req.params.id, req.ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/webhooks/:id/deliveries",
    {
      config,
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first: status, attempts, the receiver's answer",
        params: IdParams,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
        response: {
          200: z.object({ items: z.array(WebhookDeliverySchema), total: z.number().int() }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      if (!(await getWebhook(req.ctx, req.params.id))) throw appError("not_found", "No such webhook");
      return listDeliveries(req.ctx, req.params.id, req.query);
    },
  );

  app.post(
    "/webhook-deliveries/:id/redeliver",
    {
      config,
      schema: {
        tags,
        summary: "Send a delivery again",
        params: IdParams,
        response: { 200: WebhookDeliverySchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => redeliver(req.params.id, req.ctx),
  );
};
