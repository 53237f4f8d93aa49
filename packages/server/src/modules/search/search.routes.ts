import { SearchQuerySchema, SearchResultSchema } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { scopeKey } from "../../context/read-scope.js";
import { problems } from "../../http/schemas.js";
import { searchRegistry } from "./queries.js";

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/search",
    {
      config: { policy: "registry:read", publicRead: true },
      schema: {
        tags: ["search"],
        summary: "Search matters, document pages and provisions",
        description:
          'One ranked list across matters (title, jurisdiction, agencies, case number, summary), the pages of documents and the provisions of accepted decrees. `q` takes words (all must match), "quoted phrases", `-word` or `-"a phrase"` to leave out, and `train*` for prefixes; words are stemmed (police finds policing). An exact phrase ranks above scattered words, a title hit above a body hit. Snippets mark matches between U+E000 and U+E001. Facets count every match under the other filters (each facet ignores its own). `document` searches the pages of one document. A broad query ranks a bounded set of candidates (the first 1,000 matches of each kind, plus the pages of the first documents whose title matches): it then answers `capped: true`, its `total` counts the candidates (at least that many match) and its facets count within them. A query of exclusions only is refused with 400. Searches run a few at a time, each under a time limit: one that runs too long (`search_timeout`), or that finds too many others waiting or waits too long for its turn (`search_busy`), is answered 503 with Retry-After.',
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, ...problems(400, 503) },
      },
    },
    async (req, reply) => {
      // A client that went away before its turn (closed the connection) is not searched for.
      const gone = new AbortController();
      reply.raw.once("close", () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      const { body } = await app.readCache.json(
        app.db,
        `${scopeKey(req.ctx.scope)}search:${JSON.stringify(req.query)}`,
        SearchResultSchema,
        () => searchRegistry(req.ctx, req.query, { gate: app.searchGate, signal: gone.signal }),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );
};
