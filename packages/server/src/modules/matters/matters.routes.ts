import {
  CreateMatterSchema,
  MatterListQuerySchema,
  MatterListSchema,
  MatterQuerySchema,
  MatterSchema,
  SetRelatedSchema,
  UpdateMatterSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { scopeKey } from "../../context/read-scope.js";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { createMatter } from "./commands/create-matter.js";
import { deleteMatter } from "./commands/delete-matter.js";
import { relateMatters } from "./commands/relate-matters.js";
import { unrelateMatters } from "./commands/unrelate-matters.js";
import { updateMatter } from "./commands/update-matter.js";
import { exportMattersCsv, findMatters, getMatter, matterStatusAsOf } from "./queries.js";

const tags = ["matters"];

export const matterRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/matters",
    {
      config: { policy: "registry:read", publicRead: true },
      schema: {
        tags,
        summary: "List, filter, search and sort matters",
        description:
          "Lists take comma-separated values (kind=consent_decree,settlement_agreement). `q` is a full-text search over titles, agencies and jurisdictions. `sort` is a field, `-field` for descending; with `q` and no sort, the best matches come first. A list counts at most 1,000 matches past its `offset`: when more match, it answers `totalCapped: true` and `total` is that bound (more than that many match), and a `q` with no sort ranks only those (the latest opened first), so a broad search costs as much as a narrower one.",
        querystring: MatterListQuerySchema,
        response: { 200: MatterListSchema, ...problems(400) },
      },
    },
    async (req, reply) => {
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}matters:${JSON.stringify(req.query)}`,
        MatterListSchema,
        () => findMatters(req.ctx, req.query),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/matters.csv",
    {
      config: { policy: "registry:read", publicRead: true },
      schema: {
        tags,
        summary: "The current selection of matters as CSV (all pages)",
        querystring: MatterListQuerySchema,
        produces: ["text/csv"],
        response: { 200: z.string(), ...problems(400) },
      },
    },
    async (req, reply) => {
      const csv = await exportMattersCsv(req.ctx, req.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="accord-matters.csv"')
        .send(csv);
    },
  );

  app.get(
    "/matters/:key",
    {
      config: { policy: "registry:read", publicRead: true },
      schema: {
        tags,
        summary: "Get a matter with its agencies, events and related matters",
        params: KeyParamsSchema,
        querystring: MatterQuerySchema,
        response: { 200: MatterSchema, ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      const { asOf } = req.query;
      const { body, etag } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}matter:${req.params.key}${asOf ? `@${asOf}` : ""}`,
        MatterSchema,
        async () => {
          const matter = await getMatter(req.ctx, req.params.key);
          return asOf ? { ...matter, statusAsOf: await matterStatusAsOf(req.ctx, matter.id, asOf) } : matter;
        },
        (m) => etagOf(m.version),
        req.dataVersion,
      );
      return reply
        .header("etag", etag)
        .type("application/json; charset=utf-8")
        .send(body as never);
    },
  );

  app.post(
    "/matters",
    {
      config: { policy: "registry:write" },
      schema: {
        tags,
        summary: "Create a matter",
        body: CreateMatterSchema,
        response: { 201: MatterSchema, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const m = await createMatter(req.body, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(m.version))
        .header("location", `/api/v1/matters/${m.id}`)
        .send(m);
    },
  );

  app.patch(
    "/matters/:key",
    {
      config: { policy: "registry:write" },
      schema: {
        tags,
        summary: "Update a matter (send If-Match with the version you read)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateMatterSchema,
        response: { 200: MatterSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const m = await updateMatter(
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(m.version));
      return m;
    },
  );

  app.delete(
    "/matters/:key",
    {
      config: { policy: "registry:write" },
      schema: {
        tags,
        summary: "Delete a matter and its events (send If-Match)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      await deleteMatter({ key: req.params.key, version: requireIfMatch(req.headers["if-match"]) }, req.ctx);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/matters/:key/related",
    {
      config: { policy: "registry:write" },
      schema: {
        tags,
        summary:
          "Relate another matter to this one (this one led to it, or is related); send If-Match with this one's version",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: SetRelatedSchema,
        response: { 200: MatterSchema, ...problems(400, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const m = await relateMatters(
        {
          key: req.params.key,
          version: requireIfMatch(req.headers["if-match"]),
          relatedKey: req.body.relatedId,
          relation: req.body.relation,
        },
        req.ctx,
      );
      reply.header("etag", etagOf(m.version));
      return m;
    },
  );

  app.delete(
    "/matters/:key/related/:relatedKey",
    {
      config: { policy: "registry:write" },
      schema: {
        tags,
        summary: "Remove the relation between two matters (send If-Match with the version of the first)",
        params: z.strictObject({ key: z.string().min(1).max(120), relatedKey: z.string().min(1).max(120) }),
        headers: IfMatchHeadersSchema,
        response: { 200: MatterSchema, ...problems(400, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const m = await unrelateMatters(
        {
          key: req.params.key,
          version: requireIfMatch(req.headers["if-match"]),
          relatedKey: req.params.relatedKey,
        },
        req.ctx,
      );
      reply.header("etag", etagOf(m.version));
      return m;
    },
  );
};
