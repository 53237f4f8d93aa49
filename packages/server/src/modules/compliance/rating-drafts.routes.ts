import {
  AcceptRatingDraftResultSchema,
  CreateRatingDraftSchema,
  RatingDraftSchema,
  UpdateRatingDraftSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, problems } from "../../http/schemas.js";
import {
  acceptRatingDraft,
  createRatingDraft,
  getRatingDraft,
  listRatingDrafts,
  updateRatingDraft,
} from "./commands/rating-drafts.js";

const tags = ["compliance"];
const READ = { policy: "registry:read" as const };
/** Reading a report into ratings is rating: monitors (on their matters), reviewers, administrators. */
const RATE = { policy: "compliance:rate" as const };
const IdParamsSchema = z.strictObject({ id: z.uuid() });

/** Issue 14, item 4: a monitor's report read into proposed ratings, checked by a person, then accepted. */
export const ratingDraftRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/documents/:id/rating-drafts",
    {
      config: RATE,
      schema: {
        tags,
        summary: "Read a report into proposed ratings (a draft a person checks before accepting)",
        description:
          "Reads the document's text with the layout of its reports and the phrases they use for each level: for each rating found, the provision by label (null when the matter has none: listed, never guessed), the level as written and on the matter's scale, the rater, the page and the lines quoted.",
        params: IdParamsSchema,
        body: CreateRatingDraftSchema,
        response: { 201: RatingDraftSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const draft = await createRatingDraft(req.params.id, req.body ?? {}, req.ctx);
      reply.code(201).header("etag", etagOf(draft.version));
      return draft;
    },
  );

  app.get(
    "/documents/:id/rating-drafts",
    {
      config: READ,
      schema: {
        tags,
        summary: "The drafts of ratings read from a document, newest first",
        params: IdParamsSchema,
        response: {
          200: z.object({
            items: z.array(
              z.object({ id: z.uuid(), status: z.string(), createdAt: z.string(), items: z.int() }),
            ),
          }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (req) => ({ items: await listRatingDrafts(req.ctx, req.params.id) }),
  );

  app.get(
    "/rating-drafts/:id",
    {
      config: READ,
      schema: {
        tags,
        summary: "A draft of ratings read from a report",
        params: IdParamsSchema,
        response: { 200: RatingDraftSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const draft = await getRatingDraft(req.ctx, req.params.id);
      reply.header("etag", etagOf(draft.version));
      return draft;
    },
  );

  app.patch(
    "/rating-drafts/:id",
    {
      config: RATE,
      schema: {
        tags,
        summary: "Correct rows of a draft (label, level, rater, dropped) or its period (If-Match)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateRatingDraftSchema,
        response: { 200: RatingDraftSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const draft = await updateRatingDraft(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), patch: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(draft.version));
      return draft;
    },
  );

  app.post(
    "/rating-drafts/:id/accept",
    {
      config: RATE,
      schema: {
        tags,
        summary:
          "Accept a draft: its rows not dropped become the period's ratings, in one transaction (If-Match)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 200: AcceptRatingDraftResultSchema, ...problems(401, 403, 404, 409, 412, 422, 428) },
      },
    },
    async (req, reply) => {
      const result = await acceptRatingDraft(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]) },
        req.ctx,
      );
      reply.header("etag", etagOf(result.draft.version));
      return result;
    },
  );
};
