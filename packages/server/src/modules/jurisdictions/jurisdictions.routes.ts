import {
  CreateJurisdictionSchema,
  JurisdictionListQuerySchema,
  JurisdictionListSchema,
  JurisdictionSchema,
  UpdateJurisdictionSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { etagOf, requireIfMatch } from "../../http/versioning.js";
import { createJurisdiction, deleteJurisdiction, updateJurisdiction } from "./commands.js";
import { findJurisdictions, getJurisdiction } from "./queries.js";

const tags = ["jurisdictions"];

export const jurisdictionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/jurisdictions",
    {
      schema: {
        tags,
        summary: "List jurisdictions",
        querystring: JurisdictionListQuerySchema,
        response: { 200: JurisdictionListSchema, ...problems(400) },
      },
    },
    async (req) => findJurisdictions(app.db, req.query),
  );

  app.get(
    "/jurisdictions/:key",
    {
      schema: {
        tags,
        summary: "Get a jurisdiction",
        params: KeyParamsSchema,
        response: { 200: JurisdictionSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const j = await getJurisdiction(app.db, req.params.key);
      reply.header("etag", etagOf(j.version));
      return j;
    },
  );

  app.post(
    "/jurisdictions",
    {
      schema: {
        tags,
        summary: "Create a jurisdiction",
        body: CreateJurisdictionSchema,
        response: { 201: JurisdictionSchema, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const j = await createJurisdiction(req.body, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(j.version))
        .header("location", `/api/v1/jurisdictions/${j.id}`)
        .send(j);
    },
  );

  app.patch(
    "/jurisdictions/:key",
    {
      schema: {
        tags,
        summary: "Update a jurisdiction (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateJurisdictionSchema,
        response: { 200: JurisdictionSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const j = await updateJurisdiction(
        req.params.key,
        requireIfMatch(req.headers["if-match"]),
        req.body,
        req.ctx,
      );
      reply.header("etag", etagOf(j.version));
      return j;
    },
  );

  app.delete(
    "/jurisdictions/:key",
    {
      schema: {
        tags,
        summary: "Delete a jurisdiction that has no matters or agencies (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      await deleteJurisdiction(req.params.key, requireIfMatch(req.headers["if-match"]), req.ctx);
      return reply.code(204).send(null);
    },
  );
};
