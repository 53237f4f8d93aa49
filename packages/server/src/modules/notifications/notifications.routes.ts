import {
  CreateWatchSchema,
  NotificationListQuerySchema,
  NotificationListSchema,
  NotificationPreferencesSchema,
  NotificationSchema,
  SinceLastVisitSchema,
  UpdateNotificationPreferencesSchema,
  WatchSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import {
  markAllNotificationsRead,
  markNotificationRead,
  markVisit,
  updateNotificationPreferences,
} from "./commands/inbox.js";
import { createWatch, deleteWatch } from "./commands/watches.js";
import {
  findChangesSince,
  getNotification,
  listNotifications,
  listWatches,
  loadSettings,
  presentPreferences,
} from "./queries.js";

export interface NotificationRoutesOptions {
  /** Whether the server can send e-mail (ACCORD_SMTP_URL is set). */
  emailAvailable: boolean;
}

const IdParams = z.strictObject({ id: z.uuid() });

/** Each user's watches, inbox, notification preferences and "since my last visit". */
export const notificationRoutes: FastifyPluginAsyncZod<NotificationRoutesOptions> = async (app, options) => {
  const own = { policy: "signed-in" as const };

  app.get(
    "/watches",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "What you watch",
        response: { 200: z.object({ items: z.array(WatchSchema) }), ...problems(401) },
      },
    },
    async (req) => ({ items: await listWatches(req.ctx, req.user!.id) }),
  );

  app.post(
    "/watches",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "Watch a matter, a jurisdiction, a provision or keywords",
        description:
          "You are told of new events and documents on what you watch, and of ratings that went down, but only ever of records you may read when the change happens.",
        body: CreateWatchSchema,
        response: { 201: WatchSchema, ...problems(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await createWatch(req.body, req.ctx)),
  );

  app.delete(
    "/watches/:id",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "Stop watching",
        params: IdParams,
        response: { 204: z.null(), ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      await deleteWatch(req.params.id, req.ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/notifications",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "Your inbox, newest first, with the count of unread notifications",
        querystring: NotificationListQuerySchema,
        response: { 200: NotificationListSchema, ...problems(400, 401) },
      },
    },
    async (req) => listNotifications(req.ctx, req.user!.id, req.query),
  );

  app.post(
    "/notifications/:id/read",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "Mark a notification read",
        params: IdParams,
        response: { 200: NotificationSchema, ...problems(401, 404) },
      },
    },
    async (req) => {
      await markNotificationRead(req.params.id, req.ctx);
      return (await getNotification(req.ctx, req.user!.id, req.params.id))!;
    },
  );

  app.post(
    "/notifications/read-all",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "Mark every notification read",
        response: { 200: z.object({ marked: z.number().int() }), ...problems(401) },
      },
    },
    async (req) => ({ marked: await markAllNotificationsRead(req.ctx) }),
  );

  app.get(
    "/notifications/preferences",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "What you are told, and whether by e-mail (at once or in a daily digest)",
        response: { 200: NotificationPreferencesSchema, ...problems(401) },
      },
    },
    async (req) => presentPreferences(await loadSettings(req.ctx.db, req.user!.id), options.emailAvailable),
  );

  app.put(
    "/notifications/preferences",
    {
      config: own,
      schema: {
        tags: ["notifications"],
        summary: "Change what you are told, your e-mail address and how often you are e-mailed",
        body: UpdateNotificationPreferencesSchema,
        response: { 200: NotificationPreferencesSchema, ...problems(400, 401) },
      },
    },
    async (req) =>
      presentPreferences(await updateNotificationPreferences(req.body, req.ctx), options.emailAvailable),
  );

  app.get(
    "/since-last-visit",
    {
      config: { policy: "registry:read" },
      schema: {
        tags: ["notifications"],
        summary:
          "What others changed since you last marked the dashboard as seen (matters, events, documents you may read)",
        response: { 200: SinceLastVisitSchema, ...problems(401, 403) },
      },
    },
    async (req) => findChangesSince(req.ctx, req.user!.id),
  );

  app.post(
    "/since-last-visit/seen",
    {
      config: { policy: "registry:read" },
      schema: {
        tags: ["notifications"],
        summary: "Mark what changed as seen: the list starts again from now",
        response: { 200: z.object({ lastVisitAt: z.string() }), ...problems(401, 403) },
      },
    },
    async (req) => ({ lastVisitAt: await markVisit(req.ctx) }),
  );
};
