import {
  AllComplianceSchema,
  ComplianceQuerySchema,
  ComplianceScaleSchema,
  CreatePeriodSchema,
  can,
  GridQuerySchema,
  GridSchema,
  ImportAssessmentsJsonSchema,
  ImportAssessmentsQuerySchema,
  ImportAssessmentsResultSchema,
  MatterComplianceSchema,
  PeriodSchema,
  RatingKeyParamsSchema,
  RatingSchema,
  SaveAssessmentsResultSchema,
  SaveAssessmentsSchema,
  SaveRatingSchema,
  SectionTerminationResultSchema,
  SetComplianceScaleSchema,
  SetSectionTerminationSchema,
  SetSustainmentStartSchema,
  UpdatePeriodSchema,
} from "@accord/domain";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import {
  IdempotencyHeadersSchema,
  IfMatchHeadersSchema,
  KeyParamsSchema,
  problems,
} from "../../http/schemas.js";
import { runImport } from "../imports/index.js";
import { getMatterRef } from "../provisions/index.js";
import { createPeriod } from "./commands/create-period.js";
import { deletePeriod } from "./commands/delete-period.js";
import { importAssessments } from "./commands/import-assessments.js";
import { saveAssessments } from "./commands/save-assessments.js";
import { removeRating, saveRating } from "./commands/save-rating.js";
import { setComplianceScale } from "./commands/set-compliance-scale.js";
import { setSectionTermination } from "./commands/set-section-termination.js";
import { setSustainmentStart } from "./commands/set-sustainment-start.js";
import { updatePeriod } from "./commands/update-period.js";
import { getAllCompliance } from "./queries/all-decrees.js";
import { getGrid } from "./queries/grid.js";
import { listPeriods } from "./queries/periods.js";
import { loadScale, presentScale } from "./scale.js";
import { matterComplianceView } from "./view-cache.js";

const tags = ["compliance"];
const READ = { policy: "registry:read" as const };
/** Monitors hold it too, but only for the matters they are assigned to: every command reads the matter through the caller's scope (404 otherwise). */
const RATE = { policy: "compliance:rate" as const };
const IdParamsSchema = z.strictObject({ id: z.uuid() });
/** A monitor report's table: a few thousand rows at most. */
const IMPORT_BODY_LIMIT = 6 * 1024 * 1024;

export const complianceRoutes: FastifyPluginAsyncZod = async (app) => {
  const canRate = (req: FastifyRequest) => can({ role: req.user?.role ?? null }, "compliance:rate");
  // CSV bodies for the import (this plugin's routes only).
  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  // ------------------------------------------------------------ scale

  app.get(
    "/matters/:key/compliance-scale",
    {
      config: READ,
      schema: {
        tags,
        summary: "The matter's compliance scale (the default one, version 0, until its monitor's is set)",
        params: KeyParamsSchema,
        response: { 200: ComplianceScaleSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const matter = await getMatterRef(req.ctx, req.params.key);
      const scale = await loadScale(req.ctx.db, matter.id);
      reply.header("etag", etagOf(scale.version));
      return presentScale(scale, canRate(req));
    },
  );

  app.put(
    "/matters/:key/compliance-scale",
    {
      config: RATE,
      schema: {
        tags,
        summary:
          'Set the matter\'s compliance scale and sustainment rule (send If-Match; "0" for the first one); levels in use cannot be removed',
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: SetComplianceScaleSchema,
        response: { 200: ComplianceScaleSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const scale = await setComplianceScale(
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]), scale: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(scale.version));
      return presentScale(scale, true);
    },
  );

  // ------------------------------------------------------------ periods

  app.get(
    "/matters/:key/periods",
    {
      config: READ,
      schema: {
        tags,
        summary: "The matter's reporting periods, oldest first, with how many ratings each holds",
        params: KeyParamsSchema,
        response: {
          200: z.object({ items: z.array(PeriodSchema), abilities: z.object({ edit: z.boolean() }) }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (req) => {
      const matter = await getMatterRef(req.ctx, req.params.key);
      return { items: await listPeriods(req.ctx.db, matter.id), abilities: { edit: canRate(req) } };
    },
  );

  app.post(
    "/matters/:key/periods",
    {
      config: RATE,
      schema: {
        tags,
        summary: "Add a reporting period (its report: a document of the matter)",
        params: KeyParamsSchema,
        body: CreatePeriodSchema,
        response: { 201: PeriodSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const period = await createPeriod({ key: req.params.key, ...req.body }, req.ctx);
      return reply.code(201).header("etag", etagOf(period.version)).send(period);
    },
  );

  app.patch(
    "/periods/:id",
    {
      config: RATE,
      schema: {
        tags,
        summary: "Update a reporting period (send If-Match)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdatePeriodSchema,
        response: { 200: PeriodSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const period = await updatePeriod(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(period.version));
      return period;
    },
  );

  app.delete(
    "/periods/:id",
    {
      config: RATE,
      schema: {
        tags,
        summary: "Delete a reporting period (send If-Match); one holding ratings only with ?withRatings=true",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        querystring: z.strictObject({ withRatings: z.enum(["true", "false"]).optional() }),
        response: { 204: z.null(), ...problems(401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      await deletePeriod(
        {
          id: req.params.id,
          version: requireIfMatch(req.headers["if-match"]),
          withRatings: req.query.withRatings === "true",
        },
        req.ctx,
      );
      return reply.code(204).send(null);
    },
  );

  // ------------------------------------------------------------ assessments

  app.get(
    "/matters/:key/assessments",
    {
      config: READ,
      schema: {
        tags,
        summary:
          "The rating grid: every current provision (by topic or section) with its rating for the period (default: the latest)",
        params: KeyParamsSchema,
        querystring: GridQuerySchema,
        response: { 200: GridSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => getGrid(req.ctx, req.params.key, req.query, canRate(req)),
  );

  app.put(
    "/matters/:key/assessments",
    {
      config: RATE,
      schema: {
        tags,
        summary:
          "Save up to 5,000 ratings in one transaction, each of one rater (default: the monitor); a null level removes one; omitted rationale or evidence are kept; a row's version, when sent, must still be current, else 412; any node of the outline, a heading too, can be rated",
        params: KeyParamsSchema,
        body: SaveAssessmentsSchema,
        response: { 200: SaveAssessmentsResultSchema, ...problems(400, 401, 403, 404, 412, 422) },
      },
    },
    async (req) => saveAssessments({ key: req.params.key, ...req.body }, req.ctx),
  );

  app.post(
    "/matters/:key/assessments/import",
    {
      config: RATE,
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary:
          "Import a monitor report's table of ratings as CSV: all rows or none, bad rows named (send If-Match: the matter's version)",
        description:
          "If-Match is the matter's ETag (GET /matters/{key}); the import counts as a change of the matter, whose new ETag it answers. Send text/csv (with ?period= and ?document= as needed) or JSON {csv, period?, document?}. Columns, by name: paragraph (or provision, number: a paragraph number or a provision's label), level (or rating, compliance_status, status: a level's code or label, any case), and optionally period (label or id; else ?period=), rater (monitor, department, city or other, or their labels; else ?rater=, else monitor), rationale, document (id, title or file name; else ?document=, else the period's report) and page. Other columns are ignored and listed in the answer. Rows are numbered as a spreadsheet shows them (the header is row 1). Every import is recorded (GET /imports), a failed one with its errors. Send an Idempotency-Key to retry safely.",
        consumes: ["text/csv", "application/json"],
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema.extend(IdempotencyHeadersSchema.shape),
        querystring: ImportAssessmentsQuerySchema,
        body: z.union([z.string().min(1).max(IMPORT_BODY_LIMIT), ImportAssessmentsJsonSchema]),
        response: {
          200: ImportAssessmentsResultSchema,
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 500),
        },
      },
    },
    async (req, reply) => {
      const body = typeof req.body === "string" ? { csv: req.body } : req.body;
      const options = {
        key: req.params.key,
        csv: body.csv,
        period: body.period ?? req.query.period,
        document: body.document ?? req.query.document,
        rater: body.rater ?? req.query.rater,
        version: requireIfMatch(req.headers["if-match"]),
      };
      const { csv, ...parameters } = options;
      const answer = await runImport(
        {
          kind: "assessments",
          csv,
          parameters: {
            ...parameters,
            period: parameters.period ?? null,
            document: parameters.document ?? null,
            rater: parameters.rater ?? null,
          },
          idempotencyKey: req.headers["idempotency-key"],
        },
        req.ctx,
        async (recorder) => ({ status: 200, body: await importAssessments(options, req.ctx, recorder) }),
      );
      if (answer.replayed) reply.header("idempotent-replayed", "true");
      reply.header("etag", etagOf(answer.body.version));
      return answer.body;
    },
  );

  app.put(
    "/provisions/:id/ratings/:periodId/:rater",
    {
      config: RATE,
      schema: {
        tags,
        summary:
          "Save one rater's rating of a provision in a period (send If-Match: the rating's version, \"0\" when it has none); omitted rationale or evidence are kept; any node of the outline, a heading too, can be rated",
        params: RatingKeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: SaveRatingSchema,
        response: { 200: RatingSchema, ...problems(400, 401, 403, 404, 412, 422, 428) },
      },
    },
    async (req, reply) => {
      const { id, periodId, rater } = req.params;
      const rating = await saveRating(
        { provisionId: id, periodId, rater, version: requireIfMatch(req.headers["if-match"]) },
        req.body,
        req.ctx,
      );
      reply.header("etag", etagOf(rating.version));
      return rating;
    },
  );

  app.delete(
    "/provisions/:id/ratings/:periodId/:rater",
    {
      config: RATE,
      schema: {
        tags,
        summary: "Remove one rater's rating of a provision in a period (send If-Match: its version)",
        params: RatingKeyParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(400, 401, 403, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const { id, periodId, rater } = req.params;
      await removeRating(
        { provisionId: id, periodId, rater, version: requireIfMatch(req.headers["if-match"]) },
        req.ctx,
      );
      return reply.code(204).send(null);
    },
  );

  // ------------------------------------------------------------ views

  app.get(
    "/matters/:key/compliance",
    {
      config: READ,
      schema: {
        tags,
        summary:
          "The matter's compliance: shares per level and period (overall, by topic, by section), movement between two periods, trajectory and forecast, sustainment, overdue deadlines",
        params: KeyParamsSchema,
        querystring: ComplianceQuerySchema,
        response: { 200: MatterComplianceSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => matterComplianceView(req.ctx, req.params.key, req.query, canRate(req)),
  );

  app.get(
    "/compliance",
    {
      config: READ,
      schema: {
        tags,
        summary: "Every decree's latest compliance on the common scale, and each topic across decrees",
        response: { 200: AllComplianceSchema, ...problems(401, 403) },
      },
    },
    async (req) => getAllCompliance(req.ctx),
  );

  // ------------------------------------------------------------ sustainment and termination

  app.put(
    "/provisions/:id/sustainment-start",
    {
      config: RATE,
      schema: {
        tags,
        summary:
          "Record the date a court order started a provision's sustainment clock (it may backdate it); null withdraws it (send If-Match: the provision's version)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: SetSustainmentStartSchema,
        response: {
          200: z.object({
            provisionId: z.uuid(),
            startsOn: z.string().nullable(),
            eventId: z.uuid().nullable(),
            version: z.int().meta({ description: "The provision's version now (its new ETag)" }),
          }),
          ...problems(400, 401, 403, 404, 412, 428),
        },
      },
    },
    async (req, reply) => {
      const result = await setSustainmentStart(
        { provisionId: req.params.id, version: requireIfMatch(req.headers["if-match"]), ...req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(result.version));
      return result;
    },
  );

  app.put(
    "/matters/:key/sections/:number/termination",
    {
      config: RATE,
      schema: {
        tags,
        summary:
          "Mark a section of the decree terminated by the court (its number, the date, the order); on: null reverses it (send If-Match: the matter's version)",
        params: KeyParamsSchema.extend({
          number: z.string().min(1).max(20).meta({ description: 'The first-level section\'s number, "V"' }),
        }),
        headers: IfMatchHeadersSchema,
        body: SetSectionTerminationSchema,
        response: { 200: SectionTerminationResultSchema, ...problems(400, 401, 403, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const result = await setSectionTermination(
        {
          key: req.params.key,
          number: req.params.number,
          version: requireIfMatch(req.headers["if-match"]),
          ...req.body,
        },
        req.ctx,
      );
      reply.header("etag", etagOf(result.version));
      return result;
    },
  );
};
