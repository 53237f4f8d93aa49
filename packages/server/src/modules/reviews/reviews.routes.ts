import {
  AssignReviewsSchema,
  AuditEntrySchema,
  BoardSchema,
  CopyCycleSchema,
  CreateCycleSchema,
  type Cycle,
  CycleListItemSchema,
  CycleSchema,
  can,
  pageOf,
  ReopenReviewSchema,
  ReportQuerySchema,
  ReturnReviewSchema,
  ReviewListItemSchema,
  ReviewListQuerySchema,
  ReviewSchema,
  UpdateCycleSchema,
  UpdateReviewSchema,
} from "@accord/domain";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { findAuditEntries, forReader } from "../audit/index.js";
import { approveReview } from "./commands/approve-review.js";
import { assignReviews } from "./commands/assign-reviews.js";
import { copyCycle } from "./commands/copy-cycle.js";
import { createCycle } from "./commands/create-cycle.js";
import { reopenReview } from "./commands/reopen-review.js";
import { returnReview } from "./commands/return-review.js";
import { saveReviewDraft } from "./commands/save-review-draft.js";
import { startCycle } from "./commands/start-cycle.js";
import { submitReview } from "./commands/submit-review.js";
import { updateCycle } from "./commands/update-cycle.js";
import { getBoard } from "./queries/board.js";
import { getCycle, listCycles } from "./queries/cycles.js";
import { loadReport } from "./queries/report.js";
import { getReview, listReviews } from "./queries/reviews.js";
import { reportCsv } from "./report-csv.js";
import { reportPdf } from "./report-pdf.js";

const IdParamsSchema = z.strictObject({ id: z.uuid() });

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
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
    async (req) => ({ items: await listCycles(req.ctx) }),
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
      const cycle = await createCycle({ cycle: req.body }, req.ctx);
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
      const cycle = await getCycle(req.ctx, req.params.key);
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
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
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
        summary: "Start the cycle (send If-Match): one review per matter in its scope",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 200: CycleSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const cycle = await startCycle(
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]) },
        req.ctx,
      );
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
      const cycle = await copyCycle({ key: req.params.key, ...req.body }, req.ctx);
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
    async (req) => getBoard(req.ctx, req.params.key),
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
        querystring: ReportQuerySchema,
        produces: ["application/pdf"],
        response: { 200: z.any(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const report = await loadReport(req.ctx, req.params.key, req.query);
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
        querystring: ReportQuerySchema,
        produces: ["text/csv"],
        response: { 200: z.string(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const report = await loadReport(req.ctx, req.params.key, req.query);
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
        querystring: ReportQuerySchema,
        response: { 200: z.any(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const report = await loadReport(req.ctx, req.params.key, req.query);
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
    async (req) => listReviews(req.ctx, req.query),
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
    async (req) => assignReviews(req.body, req.ctx),
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
      const review = await getReview(req.ctx, req.params.id);
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
        response: { 200: ReviewSchema, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
      },
    },
    async (req, reply) => {
      const review = await saveReviewDraft(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(review.version));
      return review;
    },
  );

  // The workflow's verbs, each its own command; the transition table in the domain says which
  // state allows which.
  const transitions = [
    [
      "submit",
      "reviews:write",
      "Submit the review to an approving official",
      z.strictObject({}).nullish(),
      submitReview,
    ],
    [
      "approve",
      "reviews:approve",
      "Approve a submitted review (locks it; keeps a snapshot of the matter)",
      z.strictObject({}).nullish(),
      approveReview,
    ],
    [
      "return",
      "reviews:approve",
      "Return a submitted review to its reviewer with comments",
      ReturnReviewSchema,
      returnReview,
    ],
    ["reopen", "cycles:manage", "Reopen an approved review, with a reason", ReopenReviewSchema, reopenReview],
  ] as const;
  for (const [name, policy, summary, body, command] of transitions) {
    app.post(
      `/reviews/:id/${name}`,
      {
        config: { policy },
        schema: {
          tags,
          summary: `${summary} (send If-Match)`,
          params: IdParamsSchema,
          headers: IfMatchHeadersSchema,
          body,
          response: { 200: ReviewSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
        },
      },
      async (req, reply) => {
        const payload = (req.body ?? {}) as { comment?: string; reason?: string };
        // A move decides on what its sender read: approving a review that was changed since
        // would sign off findings nobody approving has seen.
        const version = requireIfMatch(req.headers["if-match"]);
        const review = await command({ id: req.params.id, ...payload, version }, req.ctx);
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
      const review = await getReview(req.ctx, req.params.id);
      const report = await loadReport(req.ctx, review.cycle.id, { reviewId: review.id });
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
      await getReview(req.ctx, req.params.id);
      const page = await findAuditEntries(req.ctx, {
        entity: "review",
        entityId: req.params.id,
        ...req.query,
      });
      return forReader(req.ctx, page, { showAddresses: req.user !== null && can(req.user, "audit:read") });
    },
  );
};
