import {
  AssignReviewsSchema,
  AuditEntrySchema,
  BoardSchema,
  CopyCycleSchema,
  CreateCycleSchema,
  type Cycle,
  CycleListItemSchema,
  CycleSchema,
  pageOf,
  ReopenReviewSchema,
  ReturnReviewSchema,
  ReviewListItemSchema,
  ReviewListQuerySchema,
  ReviewSchema,
  type Role,
  UpdateCycleSchema,
  UpdateReviewSchema,
} from "@accord/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { findAuditEntries } from "../audit/index.js";
import { getBoard } from "./board.js";
import { copyCycle, createCycle, getCycle, listCycles, startCycle, updateCycle } from "./cycles.js";
import { loadReport, reportCsv, reportPdf } from "./report.js";
import { assignReviews, getReview, listReviews, type Reader, transition, updateReview } from "./reviews.js";

const IdParamsSchema = z.strictObject({ id: z.uuid() });

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const today = () => app.clock().toISOString().slice(0, 10);
  const readerOf = (req: FastifyRequest): Reader => ({
    userId: req.user?.id ?? null,
    role: (req.user?.role as Role | undefined) ?? null,
  });
  const action = (req: FastifyRequest) => ({ ctx: req.ctx, today: today() });

  // ------------------------------------------------------------ cycles
  /** A new cycle: 201 with its version and address. */
  const sendCreated = (reply: FastifyReply, cycle: Cycle) =>
    reply
      .code(201)
      .header("etag", etagOf(cycle.version))
      .header("location", `/api/v1/review-cycles/${cycle.slug}`)
      .send(cycle);
  const cycleTags = ["review cycles"];

  app.get(
    "/review-cycles",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags: cycleTags,
        summary: "List review cycles, newest first",
        response: { 200: z.object({ items: z.array(CycleListItemSchema) }), ...problems(401, 403) },
      },
    },
    async () => ({ items: await listCycles(app.db) }),
  );

  app.post(
    "/review-cycles",
    {
      config: { policy: "cycles:manage" },
      schema: {
        tags: cycleTags,
        summary: "Create a review cycle (its criteria are editable until it starts)",
        body: CreateCycleSchema,
        response: { 201: CycleSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const cycle = await createCycle(req.body, req.ctx);
      return sendCreated(reply, cycle);
    },
  );

  app.get(
    "/review-cycles/:key",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags: cycleTags,
        summary: "Get a review cycle with its criteria and the count of reviews by status",
        params: KeyParamsSchema,
        response: { 200: CycleSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const cycle = await getCycle(app.db, req.params.key);
      reply.header("etag", etagOf(cycle.version));
      return cycle;
    },
  );

  app.patch(
    "/review-cycles/:key",
    {
      config: { policy: "cycles:manage" },
      schema: {
        tags: cycleTags,
        summary: "Update a review cycle (send If-Match); scope, scale and criteria only before it starts",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateCycleSchema,
        response: { 200: CycleSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const cycle = await updateCycle(
        req.params.key,
        requireIfMatch(req.headers["if-match"]),
        req.body,
        req.ctx,
      );
      reply.header("etag", etagOf(cycle.version));
      return cycle;
    },
  );

  app.post(
    "/review-cycles/:key/start",
    {
      config: { policy: "cycles:manage" },
      schema: {
        tags: cycleTags,
        summary: "Start the cycle: one review per matter in its scope",
        params: KeyParamsSchema,
        response: { 200: CycleSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const cycle = await startCycle(req.params.key, req.ctx);
      reply.header("etag", etagOf(cycle.version));
      return cycle;
    },
  );

  app.post(
    "/review-cycles/:key/copy",
    {
      config: { policy: "cycles:manage" },
      schema: {
        tags: cycleTags,
        summary: "Copy a cycle (mandate, scope, scale, criteria) to prepare the next one",
        params: KeyParamsSchema,
        body: CopyCycleSchema,
        response: { 201: CycleSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const cycle = await copyCycle(req.params.key, req.body, req.ctx);
      return sendCreated(reply, cycle);
    },
  );

  app.get(
    "/review-cycles/:key/board",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags: cycleTags,
        summary:
          "Progress at a glance: counts by status, reviewer, recommendation and rating; overdue reviews",
        params: KeyParamsSchema,
        response: { 200: BoardSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => getBoard(app.db, req.params.key, readerOf(req), today()),
  );

  const sendPdf = (reply: FastifyReply, pdf: Buffer, name: string) =>
    reply
      .type("application/pdf")
      .header("content-disposition", `attachment; filename="${name}.pdf"`)
      .send(pdf);

  app.get(
    "/review-cycles/:key/report.pdf",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags: cycleTags,
        summary: "The cycle's report as PDF: cover, scope, counts, the matrix, a page per matter",
        params: KeyParamsSchema,
        produces: ["application/pdf"],
        response: { 200: z.any(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const report = await loadReport(app.db, req.params.key, readerOf(req), app.clock());
      return sendPdf(reply, await reportPdf(report), `${report.cycle.slug}-report`);
    },
  );

  app.get(
    "/review-cycles/:key/report.csv",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags: cycleTags,
        summary: "Every finding of the cycle as CSV: one row per review and criterion",
        params: KeyParamsSchema,
        produces: ["text/csv"],
        response: { 200: z.string(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const report = await loadReport(app.db, req.params.key, readerOf(req), app.clock());
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${report.cycle.slug}-findings.csv"`)
        .send(reportCsv(report));
    },
  );

  app.get(
    "/review-cycles/:key/report.json",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags: cycleTags,
        summary: "Every finding of the cycle as JSON, with the cycle and its counts",
        params: KeyParamsSchema,
        response: { 200: z.any(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const report = await loadReport(app.db, req.params.key, readerOf(req), app.clock());
      return reply
        .header("content-disposition", `attachment; filename="${report.cycle.slug}-findings.json"`)
        .send(report);
    },
  );

  // ------------------------------------------------------------ reviews
  const tags = ["reviews"];

  app.get(
    "/reviews",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags,
        summary:
          "List reviews, with their ratings by criterion (viewers see submitted and approved ones only)",
        querystring: ReviewListQuerySchema,
        response: { 200: pageOf(ReviewListItemSchema), ...problems(400, 401, 403) },
      },
    },
    async (req) => listReviews(app.db, req.query, readerOf(req), today()),
  );

  app.post(
    "/reviews/assign",
    {
      config: { policy: "cycles:manage" },
      schema: {
        tags,
        summary: "Assign reviews to a reviewer: named ones, or all of a cycle matching filters",
        body: AssignReviewsSchema,
        response: { 200: z.object({ assigned: z.int() }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req) => assignReviews(req.body, action(req)),
  );

  app.get(
    "/reviews/:id",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags,
        summary: "Get a review: findings, recommendation, sign-off, and what changed since approval",
        params: IdParamsSchema,
        response: { 200: ReviewSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const review = await getReview(app.db, req.params.id, readerOf(req), today());
      reply.header("etag", etagOf(review.version));
      return review;
    },
  );

  app.patch(
    "/reviews/:id",
    {
      config: { policy: "reviews:write" },
      schema: {
        tags,
        summary: "Save the draft (send If-Match): findings by criterion code, recommendation",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateReviewSchema,
        response: { 200: ReviewSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const review = await updateReview(
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
        action(req),
      );
      reply.header("etag", etagOf(review.version));
      return review;
    },
  );

  const transitions = [
    ["submit", "reviews:write", "Submit the review to an approving official", z.strictObject({}).nullish()],
    [
      "approve",
      "reviews:approve",
      "Approve a submitted review (locks it; keeps a snapshot of the matter)",
      z.strictObject({}).nullish(),
    ],
    [
      "return",
      "reviews:approve",
      "Return a submitted review to its reviewer with comments",
      ReturnReviewSchema,
    ],
    ["reopen", "cycles:manage", "Reopen an approved review, with a reason", ReopenReviewSchema],
  ] as const;
  for (const [name, policy, summary, body] of transitions) {
    app.post(
      `/reviews/:id/${name}`,
      {
        config: { policy },
        schema: {
          tags,
          summary: `${summary} (If-Match optional)`,
          params: IdParamsSchema,
          headers: IfMatchHeadersSchema,
          body,
          response: { 200: ReviewSchema, ...problems(400, 401, 403, 404, 409, 412) },
        },
      },
      async (req, reply) => {
        const payload = (req.body ?? {}) as { comment?: string; reason?: string };
        const ifMatch = req.headers["if-match"];
        const review = await transition(
          req.params.id,
          name,
          { ...payload, expectedVersion: ifMatch ? requireIfMatch(ifMatch) : undefined },
          action(req),
        );
        reply.header("etag", etagOf(review.version));
        return review;
      },
    );
  }

  app.get(
    "/reviews/:id/report.pdf",
    {
      config: { policy: "reviews:read" },
      schema: {
        tags,
        summary: "One review's report as PDF",
        params: IdParamsSchema,
        produces: ["application/pdf"],
        response: { 200: z.any(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const review = await getReview(app.db, req.params.id, readerOf(req), today());
      const report = await loadReport(app.db, review.cycle.id, readerOf(req), app.clock(), review.id);
      return sendPdf(reply, await reportPdf(report), `${report.cycle.slug}-${review.matter.slug}`);
    },
  );

  app.get(
    "/reviews/:id/history",
    {
      config: { policy: "reviews:read-drafts" },
      schema: {
        tags,
        summary: "The review's own history: every draft saved, submission, return, approval, reopening",
        params: IdParamsSchema,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            items: z.array(AuditEntrySchema),
            total: z.int(),
            limit: z.int(),
            offset: z.int(),
          }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (req) => {
      await getReview(app.db, req.params.id, readerOf(req), today());
      return findAuditEntries(req.ctx, { entity: "review", entityId: req.params.id, ...req.query });
    },
  );
};
