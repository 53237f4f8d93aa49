import {
  AssignmentListQuerySchema,
  AssignmentListSchema,
  AssignmentSchema,
  BulkAssignmentResultSchema,
  BulkAssignmentSchema,
} from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { problems } from "../../http/schemas.js";
import { assignMonitor } from "./commands/assign-monitor.js";
import { assignMonitorToMatters } from "./commands/assign-monitor-to-matters.js";
import { unassignMonitor } from "./commands/unassign-monitor.js";
import { findAssignments } from "./queries.js";

const tags = ["assignments"];
const manage = { policy: "users:manage" as const };
/**
 * An assignment changes the monitor (see lockMonitor): every change names the monitor's version,
 * the ETag of `GET /users/{user}` (or `version` in the users list), and answers its new one.
 */
const MonitorIfMatchSchema = z.object({
  "if-match": z
    .string()
    .optional()
    .meta({ description: 'The version of the monitor you read, as its ETag: "3"' }),
});
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
        summary: "Assign a monitor to many matters at once (send If-Match with the monitor's version)",
        headers: MonitorIfMatchSchema,
        body: BulkAssignmentSchema,
        response: { 200: BulkAssignmentResultSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const { result, version } = await assignMonitorToMatters(
        { ...req.body, version: requireIfMatch(req.headers["if-match"]) },
        req.ctx,
      );
      reply.header("etag", etagOf(version));
      return result;
    },
  );

  app.put(
    "/matters/:key/assignments/:user",
    {
      config: manage,
      schema: {
        tags,
        summary: "Assign a monitor to a matter (send If-Match with the monitor's version)",
        params: ParamsSchema,
        headers: MonitorIfMatchSchema,
        response: { 200: AssignmentSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const { assignment, version } = await assignMonitor(
        {
          matterKey: req.params.key,
          userKey: req.params.user,
          version: requireIfMatch(req.headers["if-match"]),
        },
        req.ctx,
      );
      reply.header("etag", etagOf(version));
      return assignment;
    },
  );

  app.delete(
    "/matters/:key/assignments/:user",
    {
      config: manage,
      schema: {
        tags,
        summary: "Take a monitor off a matter (send If-Match with the monitor's version)",
        params: ParamsSchema,
        headers: MonitorIfMatchSchema,
        response: { 204: z.null(), ...problems(400, 401, 403, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const version = await unassignMonitor(
        {
          matterKey: req.params.key,
          userKey: req.params.user,
          version: requireIfMatch(req.headers["if-match"]),
        },
        req.ctx,
      );
      return reply.code(204).header("etag", etagOf(version)).send(null);
    },
  );
};
