import {
  DOCUMENT_KIND_LABELS,
  type DocumentKind,
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  parseSearchQuery,
  SEARCH_TYPE_LABELS,
  type SearchQuery,
  type SearchResult,
  type SearchType,
  searchQueryProblem,
  toExcludedTsQueryText,
  toPhraseText,
  toTsQueryText,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../db/open.js";
import { isUuid, list, queryOne } from "../../db/sql.js";
import { AppError } from "../../http/errors.js";
import { ALL, type ReadScope, scopeTables } from "../../http/read-scope.js";

/** Snippets: up to two fragments of 15–35 words around the matches, the matches marked. */
const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/** The matter facet lists this many matters, the most frequent first. */
const MATTER_FACET_SIZE = 20;

type Facet = "type" | "kind" | "matter" | "state" | "year";

interface FacetRow {
  value: string;
  label?: string;
  count: number;
}

interface SearchRow {
  total: number;
  items: SearchResult["items"];
  type: FacetRow[];
  kind: FacetRow[];
  matter: FacetRow[];
  state: FacetRow[];
  year: FacetRow[];
}

/**
 * The filters as conditions on `hits` or on their roll-up (alias h), leaving out one facet's own
 * filter: a facet counts what the other filters let through, so choosing one value still shows
 * its siblings. The state is the matter's: matched through the matter.
 */
function filtersOf(q: SearchQuery, except?: Facet): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.type?.length && except !== "type") parts.push(sql`h.type in (${list(q.type)})`);
  if (q.kind?.length && except !== "kind") parts.push(sql`h.kind in (${list(q.kind)})`);
  if (q.matter && except !== "matter")
    parts.push(
      isUuid(q.matter)
        ? sql`h.matter_id = ${q.matter}`
        : sql`h.matter_id in (select id from matters where slug = ${q.matter})`,
    );
  if (q.state?.length && except !== "state")
    parts.push(sql`h.matter_id in (select m.id from matters m join jurisdictions j on j.id = m.jurisdiction_id
      where j.state_code in (${list(q.state)}))`);
  if (q.year?.length && except !== "year") parts.push(sql`h.year in (${list(q.year)})`);
  return sql.join(parts, sql` and `);
}

/** A facet's values and counts, from the roll-up `counts` (alias h), as JSON. */
function facet(
  q: SearchQuery,
  name: Facet,
  value: SQL,
  options: { label?: SQL; from?: SQL; order?: SQL; limit?: number } = {},
): SQL {
  const label = options.label ? sql`, ${options.label} as label` : sql``;
  return sql`coalesce((select json_agg(f) from (
      select ${value} as value${label}, sum(h.n)::int as count from ${options.from ?? sql`counts h`}
      where ${value} is not null and ${filtersOf(q, name)}
      group by ${value}${options.label ? sql`, ${options.label}` : sql``}
      order by ${options.order ?? sql`count desc, value`}${options.limit ? sql` limit ${options.limit}` : sql``}) f),
    '[]'::json)`;
}

/**
 * The one statement behind a search (exported for EXPLAIN in the benchmarks). Null when the
 * query has nothing to look for.
 *
 * Score (shown as `rank`): half of PostgreSQL's cover density rank, normalised to 0–1 (so at most
 * 0.5), plus 0.5 for a title hit (a matter whose title, jurisdiction or agencies match; a page
 * of a document whose title matches) and 1 when the words looked for stand next to each other
 * as typed. So an exact phrase ranks above scattered words, and among those a title hit above a
 * body hit. A document whose title matches but none of whose pages do is found by its first page.
 * A provision (of an accepted decree, not retired) is found by its text, with no title boost.
 *
 * Every match is scored (the order needs it) into narrow rows; they are rolled up once by type,
 * kind, matter and year for the total and the facets, and only the page shown is joined to its
 * texts and given snippets.
 */
export function searchStatement(q: SearchQuery, scope: ReadScope = ALL): SQL | null {
  const parsed = parseSearchQuery(q.q);
  const text = toTsQueryText(parsed);
  if (!text) return null;
  const phrase = toPhraseText(parsed);
  const query = sql`to_tsquery('english', ${text})`;
  // Only common words left ("the of"), or only exclusions once they are gone: nothing to find,
  // and `!word` alone would match almost everything without an index.
  const searchable = sql`querytree(${query}) not in ('', 'T')`;
  const phraseBoost = (...vectors: SQL[]) =>
    phrase
      ? sql`case when numnode(phraseto_tsquery('english', ${phrase})) > 1 and (${sql.join(
          vectors.map((v) => sql`${v} @@ phraseto_tsquery('english', ${phrase})`),
          sql` or `,
        )}) then 1 else 0 end`
      : sql`0`;
  // What is left out must be in neither the page nor the document's title.
  const excluded = toExcludedTsQueryText(parsed);
  const notIn = (vector: SQL) =>
    excluded ? sql`and not (${vector} @@ to_tsquery('english', ${excluded}))` : sql``;
  const pageColumns = sql`'document_page'::text as type, d.id, p.page, d.kind, d.matter_id,
    substr(d.date, 1, 4)::int as year,
    (0.5 * ts_rank_cd(p.search, ${query}, 32)
      + case when d.search_title @@ ${query} then 0.5 else 0 end
      + ${phraseBoost(sql`p.search`, sql`d.search_title`)})::float8 as score`;
  const order = sql`score desc, (type = 'matter') desc, id, page`;
  const byMatter = sql`counts h join matters m on m.id = h.matter_id`;
  const byState = sql`counts h join matters m on m.id = h.matter_id join jurisdictions j on j.id = m.jurisdiction_id`;

  return sql`with ${scopeTables(scope)}
      hits as (
        select 'matter'::text as type, m.id, null::int as page, null::text as kind, m.id as matter_id,
          m.start_year as year,
          (0.5 * ts_rank_cd(m.search_full, ${query}, 32)
            + case when m.search @@ ${query} then 0.5 else 0 end
            + ${phraseBoost(sql`m.search_full`)})::float8 as score
        from matters m
        where ${searchable} and m.search_full @@ ${query}
        union all
        select ${pageColumns}
        from document_pages p join documents d on d.id = p.document_id
        where ${searchable} and p.search @@ ${query} ${notIn(sql`d.search_title`)}
        union all
        -- Documents whose title matches and none of whose pages do: by their first page.
        select ${pageColumns}
        from documents d join document_pages p on p.document_id = d.id
          and p.page = (select min(x.page) from document_pages x where x.document_id = d.id)
        where ${searchable} and d.search_title @@ ${query}
          and not exists (select 1 from document_pages x where x.document_id = d.id and x.search @@ ${query})
          ${notIn(sql`p.search`)}
        union all
        -- The provisions in force of accepted decrees; kind and year are their document's.
        select 'provision'::text as type, pr.id, pr.page, pd.kind, pr.matter_id, substr(pd.date, 1, 4)::int as year,
          (0.5 * ts_rank_cd(pr.search, ${query}, 32) + ${phraseBoost(sql`pr.search`)})::float8 as score
        from provisions pr left join documents pd on pd.id = pr.document_id
        where ${searchable} and pr.retired_at is null and pr.search @@ ${query}),
      counts as (select type, kind, matter_id, year, count(*)::int as n from hits group by 1, 2, 3, 4),
      shown as (select * from hits h where ${filtersOf(q)} order by ${order} limit ${q.limit} offset ${q.offset})
      select
        (select coalesce(sum(n), 0)::int from counts h where ${filtersOf(q)}) as total,
        coalesce((select json_agg(r order by r.rank desc, (r.type = 'matter') desc, r.id, r.page) from (
          select s.type, s.id, case when s.type = 'provision' then pr.path else coalesce(d.title, m.title) end as title,
            ts_headline('english',
              translate(case s.type when 'matter' then concat_ws(' — ', m.summary, m.search_text)
                  when 'provision' then pr.text else p.text end,
                ${HIGHLIGHT_START + HIGHLIGHT_END}, ''),
              ${query}, ${HEADLINE_OPTIONS}) as snippet,
            case when m.id is null then null
              else json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) end as matter,
            coalesce(d.id, pd.id) as "documentId", s.page, s.kind as "documentKind",
            case s.type when 'matter' then coalesce(m.opened_on, m.agreement_on, m.entered_on)
              when 'provision' then pd.date else d.date end as date,
            s.score as rank
          from shown s
            left join documents d on s.type = 'document_page' and d.id = s.id
            left join document_pages p on p.document_id = d.id and p.page = s.page
            left join provisions pr on s.type = 'provision' and pr.id = s.id
            left join documents pd on pd.id = pr.document_id
            left join matters m on m.id = s.matter_id) r), '[]'::json) as items,
        ${facet(q, "type", sql`h.type`)} as type,
        ${facet(q, "kind", sql`h.kind`)} as kind,
        ${facet(q, "matter", sql`m.slug`, { label: sql`m.title`, from: byMatter, order: sql`count desc, label, value`, limit: MATTER_FACET_SIZE })} as matter,
        ${facet(q, "state", sql`j.state_code`, { from: byState })} as state,
        ${facet(q, "year", sql`h.year::text`, { order: sql`value desc` })} as year`;
}

/**
 * Matters, document pages and provisions matching the query, best first, one page of them with highlighted
 * snippets, the total and the facets; only what the scope may read.
 */
export async function searchRegistry(
  db: Queryable,
  q: SearchQuery,
  scope: ReadScope = ALL,
): Promise<SearchResult> {
  const statement = searchStatement(q, scope);
  if (!statement) {
    const message = searchQueryProblem(q.q) ?? "Type a word to search for";
    throw new AppError("validation_failed", 400, `Invalid querystring: q: ${message}`, {
      errors: [{ path: "q", message }],
    });
  }
  const row = await queryOne<SearchRow>(db, statement);
  if (!row) throw new Error("the search statement returned no row");
  const labelled = (rows: FacetRow[], label: (value: string) => string) =>
    rows.map((r) => ({ value: r.value, label: r.label ?? label(r.value), count: r.count }));
  return {
    items: row.items,
    total: row.total,
    limit: q.limit,
    offset: q.offset,
    facets: {
      type: labelled(row.type, (v) => SEARCH_TYPE_LABELS[v as SearchType] ?? v),
      kind: labelled(row.kind, (v) => DOCUMENT_KIND_LABELS[v as DocumentKind] ?? v),
      matter: labelled(row.matter, (v) => v),
      state: labelled(row.state, (v) => v),
      year: labelled(row.year, (v) => v),
    },
  };
}
