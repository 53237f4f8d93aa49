import {
  CreateSavedSearchSchema,
  SavedSearchListQuerySchema,
  SavedSearchSchema,
  UpdateSavedSearchSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, problems } from "../../http/schemas.js";
import { createSavedSearch, deleteSavedSearch, updateSavedSearch } from "./commands/saved-searches.js";
import { getSavedSearch, listSavedSearches } from "./queries.js";

const IdParams = z.strictObject({ id: z.uuid() });
const tags = ["saved searches"];

/**
 * Each user's saved searches and calendar filters. Only one's own are listed or reached: another
 * user's answers 404, as one that does not exist.
 */
export const savedSearchRoutes: FastifyPluginAsyncZod = async (app) => {
  const own = { policy: "signed-in" as const };

  app.get(
    "/saved-searches",
    {
      config: own,
      schema: {
        tags,
        summary: "Your saved searches and calendar filters, by name",
        querystring: SavedSearchListQuerySchema,
        response: { 200: z.object({ items: z.array(SavedSearchSchema) }), ...problems(400, 401) },
      },
    },
    async (req) => ({ items: await listSavedSearches(req.ctx.db, req.user!.id, req.query.kind) }),
  );

  app.post(
    "/saved-searches",
    {
      config: own,
      schema: {
        tags,
        summary: "Save a search (its words and filters) or a calendar filter under a name",
        description:
          "Watch a saved search with `POST /watches` (`target: saved_search`); follow a saved calendar filter as an iCalendar feed with `POST /calendar-feeds` (`savedSearchId`).",
        body: CreateSavedSearchSchema,
        response: { 201: SavedSearchSchema, ...problems(400, 401) },
      },
    },
    async (req, reply) => {
      const saved = await createSavedSearch(req.body, req.ctx);
      return reply.code(201).header("etag", etagOf(saved.version)).send(saved);
    },
  );

  app.get(
    "/saved-searches/:id",
    {
      config: own,
      schema: {
        tags,
        summary: "One of your saved searches",
        params: IdParams,
        response: { 200: SavedSearchSchema, ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      const saved = await getSavedSearch(req.ctx.db, req.user!.id, req.params.id);
      return reply.header("etag", etagOf(saved.version)).send(saved);
    },
  );

  app.patch(
    "/saved-searches/:id",
    {
      config: own,
      schema: {
        tags,
        summary: "Rename a saved search, or change what it holds (If-Match)",
        params: IdParams,
        headers: IfMatchHeadersSchema,
        body: UpdateSavedSearchSchema,
        response: { 200: SavedSearchSchema, ...problems(400, 401, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const saved = await updateSavedSearch(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      return reply.header("etag", etagOf(saved.version)).send(saved);
    },
  );

  app.delete(
    "/saved-searches/:id",
    {
      config: own,
      schema: {
        tags,
        summary: "Delete a saved search, its watch and the calendar feeds that follow it (If-Match)",
        params: IdParams,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(401, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      await deleteSavedSearch(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]) },
        req.ctx,
      );
      return reply.code(204).send(null);
    },
  );
};
