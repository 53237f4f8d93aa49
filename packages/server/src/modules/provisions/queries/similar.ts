import { sql } from "drizzle-orm";
import type { ReadContext } from "../../../context/command-context.js";
import { scopeTables } from "../../../context/read-scope.js";
import { queryRows } from "../../../db/sql.js";
import { type ProvisionRow, presentProvisionListItem } from "../provisions.presenter.js";
import { FROM, getProvisionRow, PROVISION_COLUMNS } from "./provisions.js";

/** Candidates read from the full-text index before they are ranked here. */
const SIMILAR_CANDIDATES = 200;
/** Below this share of common words, two provisions are not called similar. */
const SIMILAR_FLOOR = 0.05;

/**
 * Other matters' provisions most like this one: candidates are those sharing its words (the
 * full-text index, ranked by PostgreSQL), then ranked here by the Jaccard similarity of their
 * sets of word stems, those sharing a topic with it first.
 */
export async function findSimilarProvisions(ctx: ReadContext, id: string, limit: number) {
  const source = await getProvisionRow(ctx, id);
  const rows = await queryRows<ProvisionRow & { lexemes: string[] }>(
    ctx.db,
    sql`with ${scopeTables(ctx.scope)}
      src as (select search from provisions where id = ${id}),
      q as (select (select string_agg(quote_literal(l), ' | ') from unnest(tsvector_to_array(src.search)) l
          where l ~ '^[a-z0-9]+$')::tsquery as query from src),
      candidates as (select p.id from provisions p, q
        where p.matter_id <> ${source.matter.id} and p.retired_at is null and p.search @@ q.query
        order by ts_rank(p.search, q.query) desc, p.id limit ${SIMILAR_CANDIDATES})
      select ${PROVISION_COLUMNS}, tsvector_to_array(p.search) as lexemes
      ${FROM} where p.id in (select id from candidates)
        union all
      select ${PROVISION_COLUMNS}, tsvector_to_array(p.search) as lexemes ${FROM} where p.id = ${id}`,
  );
  const own = rows.find((r) => r.id === id);
  const mine = new Set(own?.lexemes ?? []);
  const myTopics = new Set(presentProvisionListItem(source).topics.map((t) => t.topic));
  const ranked = rows
    .filter((r) => r.id !== id)
    .map((r) => {
      const item = presentProvisionListItem(r);
      let both = 0;
      for (const l of r.lexemes) if (mine.has(l)) both++;
      const union = mine.size + r.lexemes.length - both;
      return {
        provision: item,
        similarity: union ? Math.round((both / union) * 1000) / 1000 : 0,
        sharedTopics: item.topics.map((t) => t.topic).filter((t) => myTopics.has(t)),
      };
    })
    .filter((r) => r.similarity >= SIMILAR_FLOOR)
    .sort(
      (a, b) =>
        Number(b.sharedTopics.length > 0) - Number(a.sharedTopics.length > 0) ||
        b.similarity - a.similarity ||
        a.provision.citation.localeCompare(b.provision.citation),
    );
  return { items: ranked.slice(0, limit) };
}
