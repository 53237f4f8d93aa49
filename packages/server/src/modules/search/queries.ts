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
import { appError } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { type ReadScope, scopeTables } from "../../context/read-scope.js";
import { isUuid, list, queryOne } from "../../db/sql.js";
import type { SearchGate } from "./limits.js";

/** Snippets: up to two fragments of 15–35 words around the matches, the matches marked. */
const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/** A page's snippet is made from this many words before its first match and after it. */
const WINDOW_BEFORE = 40;
const WINDOW_AFTER = 110;

/** The words looked for, for a snippet's window; none when there are too many to bother. */
function windowWords(parsed: ReturnType<typeof parseSearchQuery>): { word: string; prefix: boolean }[] {
  const words = parsed.clauses
    .filter((c) => !c.excluded)
    .flatMap((c) => c.words.map((word, k) => ({ word, prefix: c.prefix && k === c.words.length - 1 })));
  return words.length <= 6 ? words : [];
}

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
  capped: boolean;
  items: SearchResult["items"];
  type: FacetRow[];
  kind: FacetRow[];
  matter: FacetRow[];
  state: FacetRow[];
  year: FacetRow[];
}

/**
 * At most this many matches of each source (matters, document pages, documents whose title
 * matches, provisions) are ranked; more only to reach a deep page (offset + limit). A broad query
 * ("police" on most of 200,000 pages) then costs as much as a narrow one: a few thousand rows
 * read and ranked, never every match. When a source has more matches than
 * this, the answer says `capped`: the total counts the candidates (at least that many match)
 * and the facets count within them.
 */
export const SEARCH_CANDIDATES = 1000;
/** The pages of at most this many documents whose title matches are sure to be candidates. */
const TITLE_DOCUMENTS = 25;
/** Documents whose title matches but none of whose pages do are looked for among this many. */
const TITLE_EXAMINED = 200;

/**
 * The filters as conditions on a hit (alias h: type, id, kind, matter_id, year), leaving out one
 * facet's own filter: a facet counts what the other filters let through, so choosing one value
 * still shows its siblings. The state is the matter's: matched through the matter. The document
 * filter (search within one document) is not a facet and always applies.
 */
function filtersOf(q: SearchQuery, except?: Facet | "all", document = true): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.document && document) parts.push(sql`h.type = 'document_page' and h.id = ${q.document}`);
  if (except === "all") return sql.join(parts, sql` and `);
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

/** Whether any facet filter narrows the search (the facets then need the unfiltered matches). */
const hasFacetFilters = (q: SearchQuery) =>
  Boolean(q.type?.length || q.kind?.length || q.matter || q.state?.length || q.year?.length);

/**
 * A facet's values and counts, from the roll-up `counts` (alias h), as JSON. The roll-up is of
 * the one document's hits already when the search is within a document. (The matters and states
 * facets, which look matters up, are built in searchStatement.)
 */
function facet(q: SearchQuery, name: Facet, value: SQL, options: { order?: SQL } = {}): SQL {
  return sql`coalesce((select json_agg(f) from (
      select ${value} as value, sum(h.n)::int as count from counts h
      where ${value} is not null and ${filtersOf(q, name, false)}
      group by ${value}
      order by ${options.order ?? sql`count desc, value`}) f),
    '[]'::json)`;
}

/**
 * The one statement behind a search (exported for EXPLAIN in the benchmarks). Null when the
 * query has nothing to look for.
 *
 * Score (shown as `rank`): half of PostgreSQL's ts_rank (how often and where the words occur),
 * normalised to 0–1 (so at most 0.5), plus 0.5 for a title hit (a matter whose title, jurisdiction or agencies match; a page
 * of a document whose title matches) and 1 when the words looked for stand next to each other
 * as typed. So an exact phrase ranks above scattered words, and among those a title hit above a
 * body hit. A document whose title matches but none of whose pages do is found by its first page.
 * A provision (of an accepted decree, not retired) is found by its text, with no title boost.
 *
 * Bounded work, whatever the number of matches: each source (matters, pages, title-only
 * documents, provisions) gives at most `candidates` + 1 rows after the filters, the first in the
 * order of their keys (the same every time), and only those are ranked. The pages of the first
 * documents whose title matches join them, so that title hits, which rank above body hits, are
 * among the candidates however many pages match; phrase hits are recognised among the pages read
 * (a quoted phrase is itself the query). The text rank is computed only for the candidates whose
 * class (title, phrase) can reach the page shown. When a source had more rows than it gave, the
 * answer is `capped`: `total` counts the candidates (at least that many match) and the facets
 * count within them (under facet filters, within a second capped read without them); under the
 * cap both are exact. Only the page shown is joined to its texts, and its snippets are built from
 * a window of each page around its matches.
 */
export function searchStatement(
  q: SearchQuery,
  scope: ReadScope,
  options: { candidates?: number } = {},
): SQL | null {
  const parsed = parseSearchQuery(q.q);
  const text = toTsQueryText(parsed);
  if (!text) return null;
  const cap = Math.max(options.candidates ?? SEARCH_CANDIDATES, q.offset + q.limit);
  const phrase = toPhraseText(parsed);
  const query = sql`to_tsquery('english', ${text})`;
  const phraseQuery = sql`phraseto_tsquery('english', ${phrase})`;
  // Only common words left ("the of"), or only exclusions once they are gone: nothing to find,
  // and `!word` alone would match almost everything without an index.
  const searchable = sql`querytree(${query}) not in ('', 'T')`;
  const phraseBoost = (...vectors: SQL[]) =>
    phrase
      ? sql`case when numnode(${phraseQuery}) > 1 and (${sql.join(
          vectors.map((v) => sql`${v} @@ ${phraseQuery}`),
          sql` or `,
        )}) then 1 else 0 end`
      : sql`0`;
  // What is left out must be in neither the page nor the document's title.
  const excluded = toExcludedTsQueryText(parsed);
  const notIn = (vector: SQL) =>
    excluded ? sql`and not (${vector} @@ to_tsquery('english', ${excluded}))` : sql``;
  // The words looked for without those left out: \`a & !b\` is \`a\`, then not \`b\`.
  const positive = excluded
    ? sql`to_tsquery('english', ${toTsQueryText({ ...parsed, clauses: parsed.clauses.filter((c) => !c.excluded) })})`
    : query;

  /**
   * Narrow rows of one source, filtered, at most `limit` of them, each with its class: the part
   * of the score that is not the text rank (title hit 0.5, phrase 1) when `classed`. The first
   * in the order of their keys, so that the same query reads the same candidates every time
   * (a bare LIMIT on a sequential scan would not: PostgreSQL starts a scan of a large table
   * where the last one is, and the pages of an answer would shift under the reader). The class
   * is worked out after the limit, from the row's text vector `vec` and title vector `tvec`: on
   * those rows only, however many were sorted to find them.
   */
  const source = (n: number, limit: number, classed: SQL | null, columns: SQL, body: SQL, filters: SQL) =>
    sql`(select ${n}::int as src, h.type, h.id, h.page, h.kind, h.matter_id, h.year,
        ${classed ? sql`(${classed})::float8` : sql`0::float8`} as class,
        ${classed ? sql`(${rank(sql`h.vec`)})::float8` : sql`0::float8`} as rank
      from (select * from (select ${columns} ${body}) h where ${filters} order by h.id, h.page limit ${limit}) h)`;
  const pageColumns = sql`'document_page'::text as type, d.id, p.page, d.kind, d.matter_id,
    substr(d.date, 1, 4)::int as year, p.search as vec, d.search_title as tvec`;
  const pageClass = sql`case when h.tvec @@ ${query} then 0.5 else 0 end
      + ${phraseBoost(sql`h.vec`, sql`h.tvec`)}`;
  const pages = (from: SQL, where: SQL = sql``) =>
    sql`from ${from} join document_pages p on p.document_id = d.id
        where ${searchable} and p.search @@ ${query} ${where} ${notIn(sql`d.search_title`)}`;
  /**
   * The first TITLE_EXAMINED + 1 documents whose title matches, under the filters: read once (a
   * CTE), for the title-only source, the pages of the first of them and whether there are more.
   */
  const titles = (name: string, filters: SQL) =>
    sql`${sql.raw(name)} as (select * from (select 'document_page'::text as type, substr(d.date, 1, 4)::int as year, d.*
          from documents d where ${searchable} and d.search_title @@ ${query}) h
        where ${filters} order by h.id limit ${TITLE_EXAMINED + 1})`;
  /** The first `limit` documents whose title matches, of the CTE `titles` (as alias d). */
  const titled = (titles: string, limit: number) =>
    sql`(select * from ${sql.raw(titles)} order by id limit ${limit}) d`;
  /**
   * The matching pages of the first documents whose title matches. A query that leaves words out
   * is matched as the words looked for, then not those left out (the same pages): \`a & !b\` on
   * the pages index reads the long lists of both words (a whole-index scan when both are on most
   * pages, as \`officers -department\`), where the few documents' own pages are a short read.
   */
  const titledPages = (titles: string) =>
    sql`from ${titled(titles, TITLE_DOCUMENTS)} join document_pages p on p.document_id = d.id
        where ${searchable} and p.search @@ ${positive} ${notIn(sql`p.search`)} ${notIn(sql`d.search_title`)}`;
  /** Whether more documents' titles match than the title-only source looks at. */
  const titlesCapped = (titles: string) => sql`(select count(*) from ${sql.raw(titles)}) > ${TITLE_EXAMINED}`;
  /**
   * Every source, at most cap + 1 rows each: matters, pages, title-only documents, provisions.
   * `titles`: the CTE of the documents whose title matches under the same filters.
   */
  const sources = (classed: boolean, filters: SQL, titles: string) => {
    const parts = [
      source(
        1,
        cap + 1,
        classed ? sql`case when h.tvec @@ ${query} then 0.5 else 0 end + ${phraseBoost(sql`h.vec`)}` : null,
        sql`'matter'::text as type, m.id, null::int as page, null::text as kind, m.id as matter_id,
          m.start_year as year, m.search_full as vec, m.search as tvec`,
        sql`from matters m where ${searchable} and m.search_full @@ ${query}`,
        filters,
      ),
      source(2, cap + 1, classed ? pageClass : null, pageColumns, pages(sql`documents d`), filters),
      // Documents whose title matches and none of whose pages do, by their first page: of the
      // first TITLE_EXAMINED documents whose title matches (each costs a look at its pages).
      source(
        3,
        cap + 1,
        classed ? pageClass : null,
        pageColumns,
        sql`from ${titled(titles, TITLE_EXAMINED)} join document_pages p on p.document_id = d.id
          and p.page = (select min(x.page) from document_pages x where x.document_id = d.id)
        where ${searchable}
          and not exists (select 1 from document_pages x
            where x.document_id = d.id and x.search @@ ${positive} ${notIn(sql`x.search`)})
          ${notIn(sql`p.search`)}`,
        sql`true`,
      ),
      // The provisions in force of accepted decrees; kind and year are their document's.
      source(
        4,
        cap + 1,
        classed ? phraseBoost(sql`h.vec`) : null,
        sql`'provision'::text as type, pr.id, pr.page, pd.kind, pr.matter_id, substr(pd.date, 1, 4)::int as year,
          pr.search as vec, null::tsvector as tvec`,
        sql`from provisions pr left join documents pd on pd.id = pr.document_id
          where ${searchable} and pr.retired_at is null and pr.search @@ ${query}`,
        filters,
      ),
    ];
    if (classed) {
      // The pages of (a few) documents whose title matches rank above body hits: candidates
      // however many other pages match. (Phrase hits are classed among the pages read; a quoted
      // phrase is itself the query.)
      parts.push(source(5, tier, pageClass, pageColumns, titledPages(titles), sql`true`));
    }
    return sql.join(parts, sql` union all `);
  };
  const tier = Math.max(Math.ceil(cap / 4), q.offset + q.limit);

  const faceted = hasFacetFilters(q);
  const order = sql`score desc, (type = 'matter') desc, id, page`;
  /**
   * The roll-up's counts by matter, under the facet's filters: one row a matter, so that each
   * matter is looked up once, not once for each type, kind and year it has hits of.
   */
  const perMatter = (name: Facet) => sql`(select h.matter_id, sum(h.n)::int as n from counts h
      where h.matter_id is not null and ${filtersOf(q, name, false)} group by h.matter_id)`;
  // The matters facet: only the matters that can be among the first MATTER_FACET_SIZE (those
  // counting at least as many as the last of them, ties included) are looked up for their names.
  const matterFacet = sql`coalesce((with c as ${perMatter("matter")}
      select json_agg(f) from (
        select m.slug as value, m.title as label, c.n as count from c join matters m on m.id = c.matter_id
        where c.n >= coalesce((select n from c order by n desc offset ${MATTER_FACET_SIZE - 1} limit 1), 0)
        order by count desc, label, value limit ${MATTER_FACET_SIZE}) f), '[]'::json)`;
  const stateFacet = sql`coalesce((select json_agg(f) from (
      select j.state_code as value, sum(c.n)::int as count
      from ${perMatter("state")} c join matters m on m.id = c.matter_id join jurisdictions j on j.id = m.jurisdiction_id
      where j.state_code is not null
      group by j.state_code order by count desc, value) f), '[]'::json)`;
  // ts_rank, not ts_rank_cd: a third of the cost, and phrases are already ranked by their class.
  const rank = (vector: SQL) => sql`0.5 * ts_rank(${vector}, ${query}, 32)`;
  // A page's snippet is built from the words around its matches, not from the whole page:
  // ts_headline parses all the text it is given, the costliest part of a page of results. The
  // window runs from the first place any word looked for is (less a little) to the first place
  // the last of them is (and more): so it holds a passage with every word. Positions in the
  // tsvector count the parser's tokens (a hyphenated word is three), a little ahead of the words
  // between spaces, hence the margin behind. A page where no word is (a title hit) or a query of
  // many words keeps the whole text. Both steps are kept cheap, as they run for every result
  // shown: the first place of every word comes from one pass over the page's lexemes (not one
  // pass per word and bound; a lexeme's positions are sorted, so its first place is positions[1],
  // and its positions are never unnested: a third of the cost), and the words are split at
  // spaces with string_to_array (line
  // breaks and tabs made spaces, runs of spaces dropped), a tenth of the cost of a regular
  // expression's split on a page of 350 words.
  const words = windowWords(parsed);
  const pageWindow = (p: SQL) => {
    if (!words.length) return sql`${p}.text`;
    const firstAt = words.map(
      ({ word, prefix }, k) =>
        sql`min(u.positions[1]) filter (where ${
          prefix
            ? sql`exists (select 1 from unnest(tsvector_to_array(to_tsvector('english', ${word}))) l(lexeme)
                where starts_with(u.lexeme, l.lexeme))`
            : sql`u.lexeme = any(tsvector_to_array(to_tsvector('english', ${word})))`
        }) as ${sql.raw(`f${k}`)}`,
    );
    const each = words.map((_, k) => sql.raw(`f.f${k}`));
    return sql`(select case when t.lo is null then ${p}.text
          else array_to_string(t.w[greatest(1, (t.lo * 0.85)::int - ${WINDOW_BEFORE}) : t.hi + ${WINDOW_AFTER}], ' ') end
        from (select array_remove(string_to_array(replace(replace(replace(${p}.text, E'\n', ' '), E'\r', ' '), E'\t', ' '), ' '), '') as w,
            least(${sql.join(each, sql`, `)}) as lo, greatest(${sql.join(each, sql`, `)}) as hi
          from (select ${sql.join(firstAt, sql`, `)} from unnest(${p}.search) u) f) t)`;
  };

  // The text rank is the costly part of the score and worth less than a class step (0.5), so it
  // is computed only for the candidates whose class can reach the page shown: those at or above
  // the class of the (offset + limit)-th best. The others keep their class as score (they are
  // counted, never shown).
  //
  // The candidates are distinct but for one overlap: the pages of the first documents whose title
  // matches (source 5) that the pages read (source 2) hold too. Source 2 holds every matching page
  // up to its last in key order (id, page), under the same filters, so a page of source 5 is new
  // only after that last one: a comparison in place of a distinct over every candidate.
  return sql`with ${scopeTables(scope)}
      ${titles("titles", filtersOf(q))},
      ${faceted ? sql`${titles("titles_all", filtersOf(q, "all"))},` : sql``}
      found as (${sources(true, filtersOf(q), "titles")}),
      hits as (select type, id, page, kind, matter_id, year, class, rank from found
        where src <> 5 or (id, page) > (select id, page from found where src = 2 order by id desc, page desc limit 1)),
      bar as (select coalesce((select class from hits order by class desc offset ${q.offset + q.limit - 1} limit 1), 0) as class),
      ranked as (
        select h.type, h.id, h.page, h.kind, h.matter_id, h.year,
          (h.class + case when h.class >= (select class from bar) then h.rank else 0 end)::float8 as score
        from hits h),
      ${
        faceted
          ? sql`unfiltered as (${sources(false, filtersOf(q, "all"), "titles_all")}),
      counts as (select type, kind, matter_id, year, count(*)::int as n from unfiltered group by 1, 2, 3, 4),`
          : sql`counts as (select type, kind, matter_id, year, count(*)::int as n from hits group by 1, 2, 3, 4),`
      }
      shown as (select * from ranked order by ${order} limit ${q.limit} offset ${q.offset})
      select
        (select count(*)::int from hits) as total,
        (${titlesCapped("titles")} ${faceted ? sql`or ${titlesCapped("titles_all")}` : sql``}
          or (select coalesce(bool_or(n > ${cap}), false) from (select src, count(*) as n from found where src <= 4 group by src
          ${faceted ? sql`union all select src, count(*) from unfiltered group by src` : sql``}) c)) as capped,
        coalesce((select json_agg(r order by r.rank desc, (r.type = 'matter') desc, r.id, r.page) from (
          select s.type, s.id, case when s.type = 'provision' then pr.path else coalesce(d.title, m.title) end as title,
            ts_headline('english',
              translate(case s.type when 'matter' then concat_ws(' — ', m.summary, m.search_text)
                  when 'provision' then pr.text else ${pageWindow(sql`p`)} end,
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
        ${matterFacet} as matter,
        ${stateFacet} as state,
        ${facet(q, "year", sql`h.year::text`, { order: sql`value desc` })} as year`;
}

/**
 * Matters, document pages and provisions matching the query, best first, one page of them with highlighted
 * snippets, the total and the facets; only what the scope may read.
 */
export async function searchRegistry(
  ctx: ReadContext,
  q: SearchQuery,
  options: { candidates?: number; gate?: SearchGate; signal?: AbortSignal } = {},
): Promise<SearchResult> {
  const statement = searchStatement(q, ctx.scope, options);
  if (!statement) {
    const message = searchQueryProblem(q.q) ?? "Type a word to search for";
    throw appError("validation_failed", `Invalid querystring: q: ${message}`, {
      errors: [{ path: "q", message }],
    });
  }
  // In its turn and under the time limit (503 with Retry-After otherwise), when the server has a gate.
  const row = options.gate
    ? await options.gate.read(ctx.db, (db) => queryOne<SearchRow>(db, statement), options.signal)
    : await queryOne<SearchRow>(ctx.db, statement);
  if (!row) throw new Error("the search statement returned no row");
  const labelled = (rows: FacetRow[], label: (value: string) => string) =>
    rows.map((r) => ({ value: r.value, label: r.label ?? label(r.value), count: r.count }));
  return {
    items: row.items,
    total: row.total,
    capped: row.capped,
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
