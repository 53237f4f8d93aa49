import {
  AtRiskQuerySchema,
  AtRiskSchema,
  AwardListQuerySchema,
  AwardListSchema,
  AwardSchema,
  ConditionSchema,
  ConditionStatusChangeInputSchema,
  CreateAwardSchema,
  CreateConditionSchema,
  PortfolioQuerySchema,
  PortfolioSchema,
  ProgramFactListSchema,
  ProgramFactQuerySchema,
  UpdateAwardSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { scopeKey } from "../../context/read-scope.js";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { exportAtRiskCsv, findAtRisk } from "./at-risk.js";
import { changeConditionStatus } from "./commands/change-condition-status.js";
import { createAward } from "./commands/create-award.js";
import { createCondition } from "./commands/create-condition.js";
import { updateAward } from "./commands/update-award.js";
import { agencyPortfolio, jurisdictionPortfolio } from "./portfolio.js";
import { findAwards, findProgramFacts, getAward, getCondition } from "./queries.js";

const tags = ["grants"];
const READ = { policy: "registry:read" as const, publicRead: true };
const WRITE = { policy: "registry:write" as const };

export const grantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/grants",
    {
      config: READ,
      schema: {
        tags,
        summary: "List, filter and sort grant awards, each with its conditions and lawsuits",
        description:
          "Lists take comma-separated values (program=byrne_jag,cops_hiring). `conditionStatus` keeps awards with a condition in one of those statuses. With `asOf`, conditions' statuses are those of that day (conditions not yet imposed left out) and awards of later fiscal years are left out.",
        querystring: AwardListQuerySchema,
        response: { 200: AwardListSchema, ...problems(400) },
      },
    },
    async (req, reply) => {
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}grants:${JSON.stringify(req.query)}`,
        AwardListSchema,
        () => findAwards(req.ctx, req.query),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/grants/at-risk",
    {
      config: READ,
      schema: {
        tags,
        summary: "Places with a condition that puts money at risk, the amounts, and their lawsuits",
        querystring: AtRiskQuerySchema,
        response: { 200: AtRiskSchema, ...problems(400) },
      },
    },
    async (req, reply) => {
      const { asOf } = req.query;
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}grants-at-risk${asOf ? `@${asOf}` : ""}`,
        AtRiskSchema,
        () => findAtRisk(req.ctx, asOf),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/grants/at-risk.csv",
    {
      config: READ,
      schema: {
        tags,
        summary: "The places with money at risk as CSV",
        querystring: AtRiskQuerySchema,
        produces: ["text/csv"],
        response: { 200: z.string(), ...problems(400) },
      },
    },
    async (req, reply) => {
      const csv = await exportAtRiskCsv(req.ctx, req.query.asOf);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="accord-grants-at-risk.csv"')
        .send(csv);
    },
  );

  app.get(
    "/grants/:key",
    {
      config: READ,
      schema: {
        tags,
        summary: "Get a grant award with its conditions and lawsuits",
        params: KeyParamsSchema,
        response: { 200: AwardSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const { body, etag } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}grant:${req.params.key}`,
        AwardSchema,
        () => getAward(req.ctx, req.params.key),
        (a) => etagOf(a.version),
        req.dataVersion,
      );
      return reply
        .header("etag", etag)
        .type("application/json; charset=utf-8")
        .send(body as never);
    },
  );

  app.post(
    "/grants",
    {
      config: WRITE,
      schema: {
        tags,
        summary: "Create a grant award",
        body: CreateAwardSchema,
        response: { 201: AwardSchema, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const a = await createAward(req.body, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(a.version))
        .header("location", `/api/v1/grants/${a.id}`)
        .send(a);
    },
  );

  app.patch(
    "/grants/:key",
    {
      config: WRITE,
      schema: {
        tags,
        summary: "Update a grant award (send If-Match with the version you read)",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateAwardSchema,
        response: { 200: AwardSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const a = await updateAward(
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(a.version));
      return a;
    },
  );

  app.post(
    "/conditions",
    {
      config: WRITE,
      schema: {
        tags,
        summary: "Create a condition on an award or on a place's money, with its first status",
        body: CreateConditionSchema,
        response: { 201: ConditionSchema, ...problems(400, 409) },
      },
    },
    async (req, reply) => {
      const c = await createCondition(req.body, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(c.version))
        .header("location", `/api/v1/conditions/${c.id}`)
        .send(c);
    },
  );

  app.get(
    "/conditions/:key",
    {
      config: READ,
      schema: {
        tags,
        summary: "Get a condition with its status history",
        params: KeyParamsSchema,
        response: { 200: ConditionSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const c = await getCondition(req.ctx, req.params.key);
      return reply.header("etag", etagOf(c.version)).send(c);
    },
  );

  app.post(
    "/conditions/:key/status",
    {
      config: WRITE,
      schema: {
        tags,
        summary: "Record a dated change of a condition's status (send If-Match)",
        description:
          "The change must follow the condition's lifecycle (409 names the current status otherwise) and come no earlier than its latest change.",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ConditionStatusChangeInputSchema,
        response: { 200: ConditionSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const c = await changeConditionStatus(
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]), change: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(c.version));
      return c;
    },
  );

  app.get(
    "/jurisdictions/:key/portfolio",
    {
      config: READ,
      schema: {
        tags,
        summary: "A place's portfolio: its matters, awards, conditions, timeline and money",
        description:
          "With `asOf`: matters begun by then with their status that day, conditions' statuses of that day, awards up to that fiscal year, and the timeline up to that day.",
        params: KeyParamsSchema,
        querystring: PortfolioQuerySchema,
        response: { 200: PortfolioSchema, ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      const { asOf } = req.query;
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}portfolio:j:${req.params.key}${asOf ? `@${asOf}` : ""}`,
        PortfolioSchema,
        () => jurisdictionPortfolio(req.ctx, req.params.key, asOf),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/agencies/:key/portfolio",
    {
      config: READ,
      schema: {
        tags,
        summary: "An agency's portfolio: its matters, awards, its place's conditions, timeline and money",
        params: KeyParamsSchema,
        querystring: PortfolioQuerySchema,
        response: { 200: PortfolioSchema, ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      const { asOf } = req.query;
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}portfolio:a:${req.params.key}${asOf ? `@${asOf}` : ""}`,
        PortfolioSchema,
        () => agencyPortfolio(req.ctx, req.params.key, asOf),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/program-facts",
    {
      config: READ,
      schema: {
        tags,
        summary: "Facts the sources give for whole programs (national counts and totals)",
        querystring: ProgramFactQuerySchema,
        response: { 200: ProgramFactListSchema, ...problems(400) },
      },
    },
    async (req) => findProgramFacts(req.ctx, req.query.program),
  );
};
