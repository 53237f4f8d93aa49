import {
  AssignDeadlineSchema,
  CalendarFeedQuerySchema,
  CalendarFeedTokenSchema,
  CalendarQuerySchema,
  CalendarSchema,
  CreateCalendarFeedTokenSchema,
  DeadlineOccurrenceSchema,
  ExtendDeadlineSchema,
  MarkDeadlineMetSchema,
  NewCalendarFeedTokenSchema,
  ReopenDeadlineSchema,
  type SavedCalendarFilter,
  WaiveDeadlineSchema,
} from "@accord/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { PUBLIC } from "../../context/read-scope.js";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { getMatterRef } from "../provisions/index.js";
import { getSavedSearch } from "../saved-searches/index.js";
import { assignDeadline } from "./commands/assign-deadline.js";
import {
  createCalendarFeedToken,
  listCalendarFeedTokens,
  revokeCalendarFeedToken,
} from "./commands/calendar-feed-tokens.js";
import { extendDeadline } from "./commands/extend-deadline.js";
import { markDeadlineMet } from "./commands/mark-deadline-met.js";
import { reopenDeadline } from "./commands/reopen-deadline.js";
import { waiveDeadline } from "./commands/waive-deadline.js";
import { calendarIcs, feedOf, resolveFeedToken } from "./feed.js";
import { getCalendar } from "./queries.js";

const calendarTags = ["calendar"];
const deadlineTags = ["deadlines"];
const MANAGE = { policy: "deadlines:manage" as const };
const IdParamsSchema = z.strictObject({ id: z.uuid() });

/** The address the feeds link back to. */
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

function sendIcs(reply: FastifyReply, body: string, filename: string) {
  return reply
    .type("text/calendar; charset=utf-8")
    .header("content-disposition", `inline; filename="${filename}"`)
    .header("cache-control", "private, no-cache")
    .send(body);
}

export const calendarRoutes: FastifyPluginAsyncZod<{ publicRead: boolean }> = async (app, options) => {
  app.get(
    "/calendar",
    {
      config: { policy: "registry:read", publicRead: true },
      schema: {
        tags: calendarTags,
        summary: "Hearings, other court events and deadlines between two days",
        description:
          "Of the matters the caller may read. A postponed hearing is on its new day with its earlier dates (history); recurring duties are expanded only within the window and listed once in `series`. `state`: a hearing's status, or a deadline's (overdue, open, met, waived). `mine`: deadlines assigned to me and everything of the matters assigned to me.",
        querystring: CalendarQuerySchema,
        response: { 200: CalendarSchema, ...problems(400) },
      },
    },
    async (req) => getCalendar(req.ctx, req.query, { userId: req.user?.id ?? null }),
  );

  // ------------------------------------------------------------ deadline occurrences

  const occurrenceRoute = <B extends z.ZodType>(
    verb: string,
    summary: string,
    body: B,
    run: (
      input: z.output<B> & { deadlineId: string; version: number },
      req: FastifyRequest,
    ) => Promise<z.infer<typeof DeadlineOccurrenceSchema>>,
  ) =>
    app.post(
      `/deadlines/:id/${verb}`,
      {
        config: MANAGE,
        schema: {
          tags: deadlineTags,
          summary,
          description:
            "One occurrence: the deadline's id and `dueOn`, the day it falls due as listed. If-Match is the occurrence's version (`status.version`; 0 before anyone acted on it). A monitor reaches only the deadlines of their matters.",
          params: IdParamsSchema,
          headers: IfMatchHeadersSchema,
          body,
          response: { 200: DeadlineOccurrenceSchema, ...problems(400, 404, 409, 412, 428) },
        },
      },
      async (req, reply) => {
        const occurrence = await run(
          {
            ...(req.body as object as z.output<B> & object),
            deadlineId: (req.params as { id: string }).id,
            version: requireIfMatch(req.headers["if-match"] as string | undefined),
          },
          req,
        );
        reply.header("etag", etagOf(occurrence.status.version));
        return occurrence;
      },
    );

  occurrenceRoute(
    "met",
    "Mark an occurrence of a deadline met, on a day, with the documents (and pages) that show it",
    MarkDeadlineMetSchema,
    (input, req) => markDeadlineMet(input, req.ctx),
  );
  occurrenceRoute(
    "waive",
    "Waive an occurrence of a deadline, saying why",
    WaiveDeadlineSchema,
    (input, req) => waiveDeadline(input, req.ctx),
  );
  occurrenceRoute(
    "extend",
    "Extend an occurrence of a deadline to a later day by an order (a document or an event of the matter)",
    ExtendDeadlineSchema,
    (input, req) => extendDeadline(input, req.ctx),
  );
  occurrenceRoute(
    "assign",
    "Say who answers for an occurrence of a deadline: a person, an office (null clears)",
    AssignDeadlineSchema,
    (input, req) => assignDeadline(input, req.ctx),
  );
  occurrenceRoute(
    "reopen",
    "Reopen an occurrence marked met or waived by mistake",
    ReopenDeadlineSchema,
    (input, req) => reopenDeadline(input, req.ctx),
  );

  // ------------------------------------------------------------ feeds

  app.get(
    "/calendar.ics",
    {
      // The token in the address is the credential: a calendar program has no session, and a
      // session cookie never opens a feed (the address alone must be revocable).
      config: { policy: "public", ignoreSession: true },
      schema: {
        tags: calendarTags,
        summary: "A user's calendar as an iCalendar feed, opened by a feed token (see /calendar-feeds)",
        description:
          "A year back and a year ahead. Without a valid token (unknown or revoked) the answer is 404. `mine` and `kind` filter as on the calendar. A feed made for a saved calendar filter holds what the filter lets through, as the filter is now.",
        querystring: CalendarFeedQuerySchema,
        produces: ["text/calendar"],
        response: { 200: z.string(), ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      const owner = req.query.token ? await resolveFeedToken(app.db, req.query.token, app.clock()) : null;
      if (!owner)
        throw appError("not_found", "No calendar feed has this address (the token is unknown or revoked)");
      const ctx: ReadContext = { db: app.db, scope: owner.scope, now: app.clock };
      // A saved filter's feed reads the filter as it is now (its owner's, so never another's).
      const saved = owner.savedSearchId
        ? await getSavedSearch(app.db, owner.userId, owner.savedSearchId)
        : null;
      const filter = (saved?.query ?? {}) as SavedCalendarFilter;
      const calendar = await feedOf(ctx, {
        userId: owner.userId,
        ...(filter.matter?.length ? { matter: filter.matter } : {}),
        ...(filter.state?.length ? { state: filter.state } : {}),
        ...(filter.mine || req.query.mine ? { mine: true } : {}),
        ...(filter.kind?.length ? { kind: filter.kind } : req.query.kind ? { kind: req.query.kind } : {}),
      });
      return sendIcs(
        reply,
        calendarIcs(
          saved ? `Accord: ${saved.name}` : "Accord calendar",
          calendar,
          originOf(req),
          app.clock(),
        ),
        "accord.ics",
      );
    },
  );

  app.get(
    "/matters/:key/calendar.ics",
    {
      // Opened by a feed token, by the session (a download from the matter's page), or by nobody
      // when public reading is on and the matter is public.
      config: { policy: "public" },
      schema: {
        tags: calendarTags,
        summary: "A matter's hearings and deadlines as an iCalendar feed",
        description:
          "Public when the matter may be read anonymously; otherwise send `token` (a calendar feed token) or be signed in. A matter the caller may not read answers 404.",
        params: KeyParamsSchema,
        querystring: CalendarFeedQuerySchema,
        produces: ["text/calendar"],
        response: { 200: z.string(), ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      let ctx: ReadContext;
      let userId: string | null = null;
      if (req.query.token) {
        const owner = await resolveFeedToken(app.db, req.query.token, app.clock());
        if (!owner)
          throw appError("not_found", "No calendar feed has this address (the token is unknown or revoked)");
        ctx = { db: app.db, scope: owner.scope, now: app.clock };
        userId = owner.userId;
      } else if (req.user) {
        ctx = req.ctx;
        userId = req.user.id;
      } else if (options.publicRead) {
        ctx = { db: app.db, scope: PUBLIC, now: app.clock };
      } else {
        throw appError("not_found", `No matter is "${req.params.key}"`);
      }
      const matter = await getMatterRef(ctx, req.params.key);
      const calendar = await feedOf(ctx, {
        userId,
        matter: [matter.id],
        ...(req.query.kind ? { kind: req.query.kind } : {}),
      });
      return sendIcs(
        reply,
        calendarIcs(`Accord: ${matter.title}`, calendar, originOf(req), app.clock()),
        `accord-${matter.slug}.ics`,
      );
    },
  );

  // ------------------------------------------------------------ feed tokens

  const own = { policy: "signed-in" as const };
  app.get(
    "/calendar-feeds",
    {
      config: own,
      schema: {
        tags: calendarTags,
        summary: "Your calendar feeds (their tokens are not shown again)",
        response: { 200: z.object({ items: z.array(CalendarFeedTokenSchema) }), ...problems(401) },
      },
    },
    async (req) => ({ items: await listCalendarFeedTokens(req.ctx, req.user!.id) }),
  );
  app.post(
    "/calendar-feeds",
    {
      config: own,
      schema: {
        tags: calendarTags,
        summary: "Create a calendar feed: its address (with its token) is shown only in this answer",
        body: CreateCalendarFeedTokenSchema,
        response: { 201: NewCalendarFeedTokenSchema, ...problems(400, 401) },
      },
    },
    async (req, reply) => reply.code(201).send(await createCalendarFeedToken(req.body, req.ctx)),
  );
  app.delete(
    "/calendar-feeds/:id",
    {
      config: own,
      schema: {
        tags: calendarTags,
        summary: "Revoke one of your calendar feeds: its address stops working",
        params: IdParamsSchema,
        response: { 204: z.null(), ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      await revokeCalendarFeedToken(req.params, req.ctx);
      return reply.code(204).send(null);
    },
  );
};
