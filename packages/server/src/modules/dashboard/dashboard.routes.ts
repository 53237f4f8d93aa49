import { DashboardQuerySchema, DashboardSchema } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { scopeKey } from "../../context/read-scope.js";
import { problems } from "../../http/schemas.js";
import { getDashboard } from "./queries.js";

export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/dashboard",
    {
      config: { policy: "registry:read" },
      schema: {
        tags: ["dashboard"],
        summary: "Counts, the yearly chart, the map by state, recent events and upcoming hearings",
        querystring: DashboardQuerySchema,
        response: { 200: DashboardSchema, ...problems(400) },
      },
    },
    async (req, reply) => {
      const today = req.ctx.now().toISOString().slice(0, 10);
      const { asOf } = req.query;
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}dashboard:${today}${asOf ? `@${asOf}` : ""}`,
        DashboardSchema,
        () => getDashboard(req.ctx, today, asOf),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );
};
