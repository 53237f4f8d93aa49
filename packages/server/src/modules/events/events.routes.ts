import {
  CreateEventSchema,
  EventListQuerySchema,
  EventListSchema,
  EventSchema,
  UpdateEventSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { etagOf, requireIfMatch } from "../../http/versioning.js";
import { createEvent, deleteEvent, updateEvent } from "./commands.js";
import { findEvents, getEvent } from "./queries.js";

const tags = ["events"];

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/events",
    {
      schema: {
        tags,
        summary: "List events",
        querystring: EventListQuerySchema,
        response: { 200: EventListSchema, ...problems(400) },
      },
    },
    async (req) => findEvents(app.db, req.query),
  );

  app.get(
    "/events/:key",
    {
      schema: {
        tags,
        summary: "Get an event",
        params: KeyParamsSchema,
        response: { 200: EventSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const j = await getEvent(app.db, req.params.key);
      reply.header("etag", etagOf(j.version));
      return j;
    },
  );

  app.post(
    "/events",
    {
      schema: {
        tags,
        summary: "Create an event",
        body: CreateEventSchema,
        response: { 201: EventSchema, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const j = await createEvent(req.body, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(j.version))
        .header("location", `/api/v1/events/${j.id}`)
        .send(j);
    },
  );

  app.patch(
    "/events/:key",
    {
      schema: {
        tags,
        summary: "Update an event (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateEventSchema,
        response: { 200: EventSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const j = await updateEvent(req.params.key, requireIfMatch(req.headers["if-match"]), req.body, req.ctx);
      reply.header("etag", etagOf(j.version));
      return j;
    },
  );

  app.delete(
    "/events/:key",
    {
      schema: {
        tags,
        summary: "Delete an event (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      await deleteEvent(req.params.key, requireIfMatch(req.headers["if-match"]), req.ctx);
      return reply.code(204).send(null);
    },
  );
};
