import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { CommandContext, ReadContext } from "../context/command-context.js";
import { etagOf, requireIfMatch } from "../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "./schemas.js";

interface Versioned {
  id: string;
  version: number;
}

/** What a simple record type needs for its five routes: list, get, create, update, delete. */
export interface CrudSpec<
  Q extends z.ZodType,
  C extends z.ZodType,
  U extends z.ZodType,
  R extends Versioned,
> {
  /** Path segment under /api/v1, e.g. "agencies". */
  path: string;
  /** "agency", for summaries and problems. */
  noun: string;
  schemas: { listQuery: Q; list: z.ZodType; record: z.ZodType; create: C; update: U };
  /** `ctx.scope`: what the caller may read (only records that belong to matters are narrowed). */
  list: (ctx: ReadContext, query: z.output<Q>) => Promise<unknown>;
  get: (ctx: ReadContext, key: string) => Promise<R>;
  /** Anonymous visitors may list and get these under ACCORD_PUBLIC_READ=1 (public ones only). */
  publicRead?: boolean;
  create: (body: z.output<C>, ctx: CommandContext) => Promise<R>;
  update: (
    options: { key: string; version: number; changes: z.output<U> },
    ctx: CommandContext,
  ) => Promise<R>;
  remove: (options: { key: string; version: number }, ctx: CommandContext) => Promise<void>;
  /** Extra words for the delete route's summary, e.g. "that is party to no matter". */
  deleteNote?: string;
}

const WRITE = { policy: "registry:write" as const };

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/** Registers the five routes of a record type, all versioned (ETag / If-Match) and documented. */
export function registerCrudRoutes<
  Q extends z.ZodType,
  C extends z.ZodType,
  U extends z.ZodType,
  R extends Versioned,
>(instance: FastifyInstance, spec: CrudSpec<Q, C, U, R>) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const tags = [spec.path];
  const a = article(spec.noun);
  const { schemas } = spec;
  const READ = { policy: "registry:read" as const, publicRead: spec.publicRead === true };

  app.get(
    `/${spec.path}`,
    {
      config: READ,
      schema: {
        tags,
        summary: `List ${spec.path}`,
        querystring: schemas.listQuery,
        response: { 200: schemas.list, ...problems(400) },
      },
    },
    async (req) => spec.list(req.ctx, req.query as z.output<Q>),
  );

  app.get(
    `/${spec.path}/:key`,
    {
      config: READ,
      schema: {
        tags,
        summary: `Get ${a}`,
        params: KeyParamsSchema,
        response: { 200: schemas.record, ...problems(404) },
      },
    },
    async (req, reply) => {
      const record = await spec.get(req.ctx, req.params.key);
      reply.header("etag", etagOf(record.version));
      return record;
    },
  );

  app.post(
    `/${spec.path}`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: `Create ${a}`,
        body: schemas.create,
        response: { 201: schemas.record, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const record = await spec.create(req.body as z.output<C>, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(record.version))
        .header("location", `/api/v1/${spec.path}/${record.id}`)
        .send(record);
    },
  );

  app.patch(
    `/${spec.path}/:key`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: `Update ${a} (send If-Match with the version you read)`,
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: schemas.update,
        response: { 200: schemas.record, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const record = await spec.update(
        {
          key: req.params.key,
          version: requireIfMatch(req.headers["if-match"]),
          changes: req.body as z.output<U>,
        },
        req.ctx,
      );
      reply.header("etag", etagOf(record.version));
      return record;
    },
  );

  app.delete(
    `/${spec.path}/:key`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: `Delete ${a}${spec.deleteNote ? ` ${spec.deleteNote}` : ""} (send If-Match)`,
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      await spec.remove({ key: req.params.key, version: requireIfMatch(req.headers["if-match"]) }, req.ctx);
      return reply.code(204).send(null);
    },
  );
}
