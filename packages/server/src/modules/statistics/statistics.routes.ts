import {
  HttpUrlSchema,
  MetricListSchema,
  SeriesQuerySchema,
  SeriesSchema,
  SeriesSummaryListSchema,
  SeriesSummaryQuerySchema,
  StatImportQuerySchema,
  StatImportResultSchema,
  StatMatchListSchema,
  StatMatchQuerySchema,
} from "@accord/domain";
import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { type FastifyPluginAsyncZod, validatorCompiler } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError, issuesToFieldErrors } from "../../context/app-error.js";
import { scopeKey } from "../../context/read-scope.js";
import { IdempotencyHeadersSchema, problems } from "../../http/schemas.js";
import { runImport } from "../imports/index.js";
import { importStatistics } from "./commands/import-statistics.js";
import { exportSeriesCsv, findMatches, findMatterSeries, findMetrics, findSeries } from "./queries.js";

const tags = ["statistics"];
// Public figures about places: anonymous visitors read them too when public reading is on.
const READ = { policy: "registry:read" as const, publicRead: true };
const WRITE = { policy: "registry:write" as const };
/** A CSV of a few hundred thousand values at most. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

const ImportJsonSchema = z.strictObject({
  csv: z.string().min(1).max(IMPORT_BODY_LIMIT),
  source: z.string().min(1).max(300).optional(),
  sourceUrl: HttpUrlSchema.optional(),
});
const ImportBodySchema = z.union([z.string().min(1).max(IMPORT_BODY_LIMIT), ImportJsonSchema]);

/** The CSV of a multipart form: its one file (any field name), with the fields source and sourceUrl. */
async function readMultipart(req: FastifyRequest) {
  let csv: string | null = null;
  const fields: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === "file") {
      if (csv !== null) throw appError("too_many_files", "Send one CSV file at a time; nothing was imported");
      csv = (await part.toBuffer()).toString("utf8");
    } else fields[part.fieldname] = String(part.value ?? "");
  }
  if (csv === null) throw appError("no_files", "The form holds no CSV file; nothing was imported");
  return { csv, ...fields };
}

export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );
  await app.register(multipart, {
    limits: { fileSize: IMPORT_BODY_LIMIT, files: 1, fields: 5, parts: 6, fieldSize: 2_000 },
  });

  app.get(
    "/statistics/series",
    {
      config: READ,
      schema: {
        tags,
        summary: "A statistic over time for up to five jurisdictions or agencies, each value with its source",
        description:
          "jurisdiction, agency and matter take an id or slug, or up to five comma-separated; a jurisdiction's series include its agencies' values; a matter's are the figures about the matter itself (what its monitoring costs), read only where the matter may be. metric takes one key or several comma-separated (GET /statistics/metrics). from and to are years or months; a year bound keeps its months. per=100k adds the rate per 100,000 residents where the source gave a population. A period with no value is absent: show it as a gap. Each value names its source, its coverage (months reported of the period) and any definitional note; `caveats` says what the figures cannot show.",
        querystring: SeriesQuerySchema,
        response: { 200: SeriesSchema, ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      const { body } = await app.readCache.json(
        app.db,
        // A matter's figures are read in the caller's scope: the answer is cached per scope.
        `statistics:${scopeKey(req.ctx.scope)}${JSON.stringify(req.query)}`,
        SeriesSchema,
        () => findSeries(req.ctx, req.query),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/statistics/series.csv",
    {
      config: READ,
      schema: {
        tags,
        summary: "The same series as CSV: one row a value, with its place, source, coverage and note",
        querystring: SeriesQuerySchema,
        produces: ["text/csv"],
        response: { 200: z.string(), ...problems(400, 404) },
      },
    },
    async (req, reply) => {
      const csv = await exportSeriesCsv(req.ctx, req.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="accord-statistics.csv"')
        .send(csv);
    },
  );

  app.get(
    "/statistics/summary",
    {
      config: READ,
      schema: {
        tags,
        summary: "A matter's series and how fresh and complete each is: last period, gaps, partial periods",
        description:
          "The series of the matter's jurisdiction (with its agencies'), of its agencies and of the matter itself (what its monitoring costs), one line per place, metric, source and granularity: first and last period, periods with a value against periods in that range, and periods reported only in part. What a review weighs when it asks whether an agreement is rooted in timely and reliable statistics.",
        querystring: SeriesSummaryQuerySchema,
        response: { 200: SeriesSummaryListSchema, ...problems(400, 404) },
      },
    },
    async (req) => ({ items: await findMatterSeries(req.ctx, req.query.matter) }),
  );

  app.get(
    "/statistics/metrics",
    {
      config: READ,
      schema: {
        tags,
        summary: "The metrics statistics count: Accord's own and those imports added",
        response: { 200: MetricListSchema },
      },
    },
    async (req) => ({ items: await findMetrics(req.ctx) }),
  );

  app.get(
    "/statistics/matches",
    {
      config: READ,
      schema: {
        tags,
        summary: "How each bundled source's places were matched to jurisdictions, and which were not",
        description:
          "A place is matched only on its state and exact name (never guessed); an unmatched place's rows are not imported. status=unmatched lists only those.",
        querystring: StatMatchQuerySchema,
        response: { 200: StatMatchListSchema, ...problems(400) },
      },
    },
    async (req) => ({ items: await findMatches(req.ctx, req.query) }),
  );

  app.post(
    "/statistics/import",
    {
      config: WRITE,
      bodyLimit: IMPORT_BODY_LIMIT,
      // A multipart body is a stream read in the handler; the others are checked there too.
      validatorCompiler: (route) =>
        route.httpPart === "body" ? (data: unknown) => ({ value: data }) : validatorCompiler(route as never),
      schema: {
        tags,
        summary: "Import a CSV of any metric for jurisdictions or agencies: all rows or none, bad rows named",
        description:
          "Send text/csv (with ?source= and ?sourceUrl=), JSON {csv, source?, sourceUrl?}, or multipart/form-data with one file and the fields source and sourceUrl. Columns, by name: metric (a key; a new one is added, with the label and unit columns when given), jurisdiction or agency (id, slug or name), period (YYYY or YYYY-MM), value (not negative), and optionally population, months_reported and note. Rows are numbered as a spreadsheet shows them (the header is row 1); every bad row is named and nothing is imported. Every import is recorded (GET /imports), a failed one with its errors. Send an Idempotency-Key to retry safely.",
        consumes: ["text/csv", "application/json", "multipart/form-data"],
        querystring: StatImportQuerySchema,
        headers: IdempotencyHeadersSchema,
        body: ImportBodySchema,
        response: { 201: StatImportResultSchema, ...problems(400, 401, 403, 409, 413, 415, 422, 500) },
      },
    },
    async (req, reply) => {
      const raw = req.isMultipart() ? await readMultipart(req) : req.body;
      const parsed = (req.isMultipart() ? ImportJsonSchema : ImportBodySchema).safeParse(raw);
      if (!parsed.success)
        throw appError("validation_failed", "Send a CSV file", {
          errors: issuesToFieldErrors(parsed.error.issues),
        });
      const body = typeof parsed.data === "string" ? { csv: parsed.data } : parsed.data;
      const options = {
        csv: body.csv,
        source: body.source ?? req.query.source,
        sourceUrl: body.sourceUrl ?? req.query.sourceUrl,
      };
      const answer = await runImport(
        {
          kind: "statistics",
          csv: options.csv,
          parameters: { source: options.source ?? null, sourceUrl: options.sourceUrl ?? null },
          idempotencyKey: req.headers["idempotency-key"],
        },
        req.ctx,
        async (recorder) => ({ status: 201, body: await importStatistics(options, req.ctx, recorder) }),
      );
      if (answer.replayed) reply.header("idempotent-replayed", "true");
      return reply.code(answer.status as 201).send(answer.body);
    },
  );
};
