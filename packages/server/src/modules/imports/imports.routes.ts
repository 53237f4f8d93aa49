import { ImportListQuerySchema, ImportListSchema, ImportRecordSchema, type Role } from "@accord/domain";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import { findImports, getImport, type ImportReader } from "./queries.js";

const tags = ["imports"];
/** Every signed-in user reads their own imports; the query widens that by role (queries.ts). */
const OWN = { policy: "signed-in" as const };

const readerOf = (req: FastifyRequest): ImportReader => ({
  ...req.ctx,
  userId: req.user!.id,
  role: req.user!.role as Role,
});

/** The history of HTTP CSV imports: who sent which file, and whether it was written or failed and why. */
export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/imports",
    {
      config: OWN,
      schema: {
        tags,
        summary: "CSV imports, newest first: their file, rows, outcome and, for a failed one, why",
        description:
          "Each statistics and ratings CSV import sent over HTTP: succeeded (every row written, in one transaction) or failed (none written, with the first 50 errors). You see your own; those who may import statistics see every statistics import; those who may rate see the ratings imports of the matters they may read. A request cut off mid-import (a crash) has no record: nothing of it was written.",
        querystring: ImportListQuerySchema,
        response: { 200: ImportListSchema, ...problems(400, 401) },
      },
    },
    async (req) => findImports(readerOf(req), req.query),
  );

  app.get(
    "/imports/:id",
    {
      config: OWN,
      schema: {
        tags,
        summary: "One CSV import's record",
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: ImportRecordSchema, ...problems(401, 404) },
      },
    },
    async (req) => getImport(readerOf(req), req.params.id),
  );
};
