import {
  AcceptProvisionsSchema,
  AcceptResultSchema,
  DeadlineListQuerySchema,
  DeadlineListSchema,
  DecreeParseListItemSchema,
  DecreeParseSchema,
  MatterDeadlinesSchema,
  ParseEditSchema,
  ProvisionListQuerySchema,
  ProvisionListSchema,
  ProvisionSchema,
  SetAnchorDateSchema,
  SimilarProvisionsQuerySchema,
  SimilarProvisionsSchema,
  TopicsCorrectionSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { acceptProvisions } from "./commands/accept-provisions.js";
import { correctTopics } from "./commands/correct-topics.js";
import { editParse } from "./commands/edit-parse.js";
import { parseDocument } from "./commands/parse-document.js";
import { setAnchorDate } from "./commands/set-anchor-date.js";
import { listDeadlines, listMatterDeadlines } from "./queries/deadlines.js";
import { getParse, listMatterParses } from "./queries/parses.js";
import {
  getProvision,
  listMatterProvisions,
  listProvisions,
  resolveProvisionRef,
} from "./queries/provisions.js";
import { findSimilarProvisions } from "./queries/similar.js";

const READ = { policy: "registry:read" as const };
const PUBLIC_READ = { policy: "registry:read" as const, publicRead: true };
const WRITE = { policy: "registry:write" as const };
const IdParamsSchema = z.strictObject({ id: z.uuid() });

export const provisionRoutes: FastifyPluginAsyncZod = async (app) => {
  // ------------------------------------------------------------ parses
  const parseTags = ["decree parses"];

  app.post(
    "/documents/:id/parse",
    {
      config: WRITE,
      schema: {
        tags: parseTags,
        summary: "Split a decree's text into provisions: the answer is a draft to check, correct and accept",
        description:
          "The document must be a decree or an agreement of a matter, with its text read (status ready); otherwise 409 says why. Each call makes a new draft.",
        params: IdParamsSchema,
        response: { 201: DecreeParseSchema, ...problems(404, 409) },
      },
    },
    async (req, reply) => {
      const parse = await parseDocument({ documentId: req.params.id }, req.ctx);
      return reply
        .code(201)
        .header("etag", etagOf(parse.version))
        .header("location", `/api/v1/parses/${parse.id}`)
        .send(parse);
    },
  );

  app.get(
    "/matters/:key/parses",
    {
      config: READ,
      schema: {
        tags: parseTags,
        summary: "The parses of a matter's decrees, newest first (without their provisions)",
        params: KeyParamsSchema,
        response: { 200: z.object({ items: z.array(DecreeParseListItemSchema) }), ...problems(404) },
      },
    },
    async (req) => listMatterParses(req.ctx, req.params.key),
  );

  app.get(
    "/parses/:id",
    {
      config: READ,
      schema: {
        tags: parseTags,
        summary:
          "A parse: its provisions, sections, table of contents, warnings, and what accepting it would do",
        params: IdParamsSchema,
        response: { 200: DecreeParseSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const parse = await getParse(req.ctx, req.params.id);
      reply.header("etag", etagOf(parse.version)).header("cache-control", "no-store");
      return parse;
    },
  );

  app.patch(
    "/parses/:id",
    {
      config: WRITE,
      schema: {
        tags: parseTags,
        summary:
          "Correct a draft parse: split, merge, relabel, edit, mark a heading or move one node, named by its label (send If-Match)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ParseEditSchema,
        response: { 200: DecreeParseSchema, ...problems(400, 404, 409, 412, 422, 428) },
      },
    },
    async (req, reply) => {
      const parse = await editParse(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), edit: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(parse.version));
      return parse;
    },
  );

  app.post(
    "/matters/:key/provisions/accept",
    {
      config: WRITE,
      schema: {
        tags: parseTags,
        summary: "Accept a draft parse as the matter's provisions (send If-Match: the parse's version)",
        description:
          "Unchanged provisions keep their rows (and ratings, and topic corrections); a paragraph whose text is unchanged under a new number moves its row along; a changed text keeps its row; a retired provision whose text is back returns; provisions no longer there are retired, never deleted. Topics and deadlines are computed for new and changed texts.",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: AcceptProvisionsSchema,
        response: { 200: AcceptResultSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const result = await acceptProvisions(
        { key: req.params.key, parseId: req.body.parseId, version: requireIfMatch(req.headers["if-match"]) },
        req.ctx,
      );
      reply.header("etag", etagOf(result.version));
      return result;
    },
  );

  // ------------------------------------------------------------ provisions
  const tags = ["provisions"];

  app.get(
    "/matters/:key/provisions",
    {
      config: PUBLIC_READ,
      schema: {
        tags,
        summary: "A matter's provisions in the decree's order, by topic, section or words",
        params: KeyParamsSchema,
        querystring: ProvisionListQuerySchema,
        response: { 200: ProvisionListSchema, ...problems(400, 404) },
      },
    },
    async (req) => listMatterProvisions(req.ctx, req.params.key, req.query),
  );

  app.get(
    "/matters/:key/provisions/:ref",
    {
      config: PUBLIC_READ,
      schema: {
        tags,
        summary: "A provision by its paragraph number or its label (URL-encoded): the address to cite",
        params: KeyParamsSchema.extend({
          ref: z.string().min(1).max(100).meta({
            description: 'The paragraph number ("12") or the citation label ("¶ 12", "III.A.1.a(i)")',
          }),
        }),
        response: { 200: ProvisionSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const id = await resolveProvisionRef(req.ctx, req.params.key, req.params.ref);
      const provision = await getProvision(req.ctx, id);
      reply.header("etag", etagOf(provision.version));
      return provision;
    },
  );

  app.get(
    "/provisions",
    {
      config: PUBLIC_READ,
      schema: {
        tags,
        summary: "Provisions across every matter, by topic or words (to compare decrees)",
        querystring: ProvisionListQuerySchema,
        response: { 200: ProvisionListSchema, ...problems(400) },
      },
    },
    async (req) => listProvisions(req.ctx, req.query),
  );

  app.get(
    "/provisions/:id",
    {
      config: PUBLIC_READ,
      schema: {
        tags,
        summary: "A provision: its text, where it is, its topics and why, its deadlines and its ratings",
        params: IdParamsSchema,
        response: { 200: ProvisionSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const provision = await getProvision(req.ctx, req.params.id);
      reply.header("etag", etagOf(provision.version)).header("cache-control", "no-store");
      return provision;
    },
  );

  app.get(
    "/provisions/:id/similar",
    {
      config: PUBLIC_READ,
      schema: {
        tags,
        summary:
          "Other matters' provisions most like this one (sharing a topic first, then by text similarity)",
        params: IdParamsSchema,
        querystring: SimilarProvisionsQuerySchema,
        response: { 200: SimilarProvisionsSchema, ...problems(400, 404) },
      },
    },
    async (req) => findSimilarProvisions(req.ctx, req.params.id, req.query.limit),
  );

  app.put(
    "/provisions/:id/topics",
    {
      config: WRITE,
      schema: {
        tags,
        summary: "Correct a provision's topics (send If-Match); the correction outlasts re-parsing",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: TopicsCorrectionSchema,
        response: { 200: ProvisionSchema, ...problems(400, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const provision = await correctTopics(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), topics: req.body.topics },
        req.ctx,
      );
      reply.header("etag", etagOf(provision.version));
      return provision;
    },
  );

  app.delete(
    "/provisions/:id/topics",
    {
      config: WRITE,
      schema: {
        tags,
        summary:
          "Remove the correction of a provision's topics: the classifier's apply again (send If-Match)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 200: ProvisionSchema, ...problems(404, 412, 428) },
      },
    },
    async (req, reply) => {
      const provision = await correctTopics(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), topics: null },
        req.ctx,
      );
      reply.header("etag", etagOf(provision.version));
      return provision;
    },
  );

  // ------------------------------------------------------------ deadlines
  const deadlineTags = ["deadlines"];

  app.get(
    "/matters/:key/deadlines",
    {
      config: PUBLIC_READ,
      schema: {
        tags: deadlineTags,
        summary: "A matter's deadlines as dates from its effective date, each with its provision",
        description:
          "Dates are counted from the matter's entered date, else its agreement date (a date without its day computes nothing: the note says so). Recurring deadlines repeat up to `to` (default: two years from today). Deadlines counted from something else are listed without a date until a person gives that date (PUT /deadlines/{id}/anchor-date). A past date is overdue.",
        params: KeyParamsSchema,
        querystring: DeadlineListQuerySchema,
        response: { 200: MatterDeadlinesSchema, ...problems(400, 404) },
      },
    },
    async (req) => listMatterDeadlines(req.ctx, req.params.key, req.query),
  );

  app.get(
    "/deadlines",
    {
      config: PUBLIC_READ,
      schema: {
        tags: deadlineTags,
        summary: "Dated deadlines across every matter, by date (for the dashboard)",
        querystring: DeadlineListQuerySchema,
        response: { 200: DeadlineListSchema, ...problems(400) },
      },
    },
    async (req) => listDeadlines(req.ctx, req.query),
  );

  app.put(
    "/deadlines/:id/anchor-date",
    {
      config: WRITE,
      schema: {
        tags: deadlineTags,
        summary:
          "Give the date a deadline is counted from, when that is not the effective date (send If-Match: the provision's version)",
        description:
          "If-Match is the version of the deadline's provision (its deadlines are part of it). The answer is the provision with its deadlines.",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: SetAnchorDateSchema,
        response: { 200: ProvisionSchema, ...problems(400, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const { provision } = await setAnchorDate(
        {
          deadlineId: req.params.id,
          anchorDate: req.body.anchorDate,
          version: requireIfMatch(req.headers["if-match"]),
        },
        req.ctx,
      );
      reply.header("etag", etagOf(provision.version));
      return provision;
    },
  );
};
