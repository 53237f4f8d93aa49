import { pageOf } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import {
  AssignmentListQuerySchema,
  AssignmentSchema,
  assign,
  assignMany,
  BulkAssignSchema,
  listAssignments,
  unassign,
} from "./assignments.js";

const tags = ["assignments"];
const manage = { policy: "users:manage" as const };
const ParamsSchema = z.strictObject({
  key: z.string().min(1).max(120).meta({ description: "The matter's id or slug" }),
  user: z.string().min(1).max(120).meta({ description: "The monitor's id or username" }),
});

/** Which monitors are assigned to which matters: a monitor reads only their matters. */
export const assignmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/assignments",
    {
      config: manage,
      schema: {
        tags,
        summary: "Monitors' assignments to matters, by monitor or by matter",
        querystring: AssignmentListQuerySchema,
        response: { 200: pageOf(AssignmentSchema), ...problems(400, 401, 403) },
      },
    },
    async (req) => listAssignments(app.db, req.query),
  );

  app.post(
    "/assignments",
    {
      config: manage,
      schema: {
        tags,
        summary: "Assign a monitor to many matters at once",
        body: BulkAssignSchema,
        response: {
          200: z.object({ assigned: z.int(), alreadyAssigned: z.int() }),
          ...problems(400, 401, 403, 404, 409),
        },
      },
    },
    async (req) => assignMany(req.body, req.ctx),
  );

  app.put(
    "/matters/:key/assignments/:user",
    {
      config: manage,
      schema: {
        tags,
        summary: "Assign a monitor to a matter",
        params: ParamsSchema,
        response: { 200: AssignmentSchema, ...problems(401, 403, 404, 409) },
      },
    },
    async (req) => assign(req.params.key, req.params.user, req.ctx),
  );

  app.delete(
    "/matters/:key/assignments/:user",
    {
      config: manage,
      schema: {
        tags,
        summary: "Take a monitor off a matter",
        params: ParamsSchema,
        response: { 204: z.null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await unassign(req.params.key, req.params.user, req.ctx);
      return reply.code(204).send(null);
    },
  );
};
