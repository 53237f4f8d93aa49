import {
  AssignmentListQuerySchema,
  AssignmentListSchema,
  AssignmentSchema,
  BulkAssignmentResultSchema,
  BulkAssignmentSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import { assignMonitor } from "./commands/assign-monitor.js";
import { assignMonitorToMatters } from "./commands/assign-monitor-to-matters.js";
import { unassignMonitor } from "./commands/unassign-monitor.js";
import { findAssignments } from "./queries.js";

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
        response: { 200: AssignmentListSchema, ...problems(400, 401, 403) },
      },
    },
    async (req) => findAssignments(req.ctx, req.query),
  );

  app.post(
    "/assignments",
    {
      config: manage,
      schema: {
        tags,
        summary: "Assign a monitor to many matters at once",
        body: BulkAssignmentSchema,
        response: { 200: BulkAssignmentResultSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req) => assignMonitorToMatters(req.body, req.ctx),
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
    async (req) => assignMonitor({ matterKey: req.params.key, userKey: req.params.user }, req.ctx),
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
      await unassignMonitor({ matterKey: req.params.key, userKey: req.params.user }, req.ctx);
      return reply.code(204).send(null);
    },
  );
};
