import {
  AgencyListQuerySchema,
  AgencyListSchema,
  AgencySchema,
  CreateAgencySchema,
  UpdateAgencySchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { etagOf, requireIfMatch } from "../../http/versioning.js";
import { createAgency, deleteAgency, updateAgency } from "./commands.js";
import { findAgencies, getAgency } from "./queries.js";

const tags = ["agencies"];

export const agencyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/agencies",
    {
      schema: {
        tags,
        summary: "List agencies",
        querystring: AgencyListQuerySchema,
        response: { 200: AgencyListSchema, ...problems(400) },
      },
    },
    async (req) => findAgencies(app.db, req.query),
  );

  app.get(
    "/agencies/:key",
    {
      schema: {
        tags,
        summary: "Get an agency",
        params: KeyParamsSchema,
        response: { 200: AgencySchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const j = await getAgency(app.db, req.params.key);
      reply.header("etag", etagOf(j.version));
      return j;
    },
  );

  app.post(
    "/agencies",
    {
      schema: {
        tags,
        summary: "Create an agency",
        body: CreateAgencySchema,
        response: { 201: AgencySchema, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const j = await createAgency(req.body, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(j.version))
        .header("location", `/api/v1/agencies/${j.id}`)
        .send(j);
    },
  );

  app.patch(
    "/agencies/:key",
    {
      schema: {
        tags,
        summary: "Update an agency (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateAgencySchema,
        response: { 200: AgencySchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const j = await updateAgency(
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
    "/agencies/:key",
    {
      schema: {
        tags,
        summary: "Delete an agency that is party to no matter (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      await deleteAgency(req.params.key, requireIfMatch(req.headers["if-match"]), req.ctx);
      return reply.code(204).send(null);
    },
  );
};
