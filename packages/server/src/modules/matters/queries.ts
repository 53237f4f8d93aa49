import {
  MATTER_CSV_COLUMNS,
  type Matter,
  type MatterListItem,
  type MatterListQuery,
  toCsv,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope, type ReadScope, scopeTables } from "../../context/read-scope.js";
import {
  isoTime,
  isoTimeText,
  isUuid,
  queryOne,
  queryRows,
  textArray,
  toPrefixTsQuery,
} from "../../db/sql.js";
import { statusAsOfJoin } from "./as-of.js";

const JURISDICTION_JSON = sql.raw(
  `json_build_object('id', j.id, 'slug', j.slug, 'name', j.name, 'kind', j.kind, 'stateCode', j.state_code)`,
);

/** A list item of matter `m` (jurisdiction `j`) as JSON, its agencies and the rest added (`extra`). */
const LIST_ITEM_JSON = (extra: SQL) => sql`json_build_object(
  'id', m.id, 'slug', m.slug, 'kind', m.kind, 'status', m.status, 'title', m.title, 'jurisdiction', ${JURISDICTION_JSON},
  'openedOn', m.opened_on, 'findingsOn', m.findings_on, 'agreementOn', m.agreement_on,
  'enteredOn', m.entered_on, 'endedOn', m.ended_on, 'public', m.public, 'version', m.version,
  'updatedAt', ${isoTime("m.updated_at")}${extra})`;

/** The matters' columns LIST_ITEM_JSON, AGENCIES_JSON and the orders read, under their own names. */
const PAGE_COLUMNS =
  sql.raw(`m.id, m.slug, m.kind, m.status, m.title, m.jurisdiction_id, m.opened_on, m.findings_on,
  m.agreement_on, m.entered_on, m.ended_on, m.public, m.version, m.updated_at`);

const SORT_COLUMNS: Record<string, string> = {
  title: "m.title",
  kind: "m.kind",
  status: "m.status",
  state: "j.state_code",
  jurisdiction: "j.name",
  openedOn: "m.opened_on",
  agreementOn: "m.agreement_on",
  enteredOn: "m.entered_on",
  endedOn: "m.ended_on",
  updatedAt: "m.updated_at",
};

/** The status a list shows and filters on: the record's, or the one it had on the as-of day. */
const statusColumn = (q: { asOf?: string | undefined }) => (q.asOf ? "sa.status" : "m.status");

/**
 * The FROM clause of a list: the matters, their jurisdictions when `withPlace` (to sort by them, or
 * to show them), and with an as-of day each matter's status then (see as-of.ts).
 */
const fromOf = (q: { asOf?: string | undefined }, withPlace = true) =>
  sql`from matters m${withPlace ? sql` join jurisdictions j on j.id = m.jurisdiction_id` : sql``}${q.asOf ? sql` ${statusAsOfJoin(q.asOf)}` : sql``}`;

/**
 * The orders a day's spans carry (their own copy of the matter's column, kept by the same
 * triggers, see as-of.ts), by the span's column: as of a day such a list is read from the spans.
 * Not the kind: nine values, so the page's last kind ties with a thousand matters or more, each
 * read for its slug (asOf=2020-06-08&sort=-kind: 70 ms on PGlite), where the matters walked in
 * their kind order (matters_kind_idx) and probed one by one fill a page soon.
 */
const SPAN_SORT_COLUMNS: Record<string, string> = {
  status: "s.status",
  openedOn: "s.opened_on",
  agreementOn: "s.agreement_on",
  enteredOn: "s.entered_on",
  endedOn: "s.ended_on",
};

/**
 * As of a day, the conditions on the day's spans `s` that stand for the list's filters, or null
 * when a filter reads what the spans do not carry (the search, agencies, years, public) or
 * names a place: then the list is read from the matters, each probed for its span.
 */
function spanWhereOf(q: MatterListQuery, asOf: string, scope: ReadScope): SQL | null {
  if (toPrefixTsQuery(q.q) || q.agency || q.agencyKind?.length) return null;
  if (q.from !== undefined || q.to !== undefined || q.public !== undefined) return null;
  // A place is a few matters, found by their index and probed one by one for cheaper than a scan
  // of the day's spans (some 500-900 buffers at 10,000 matters, whatever the filter).
  if (q.state?.length || q.jurisdiction) return null;
  // The begun spans holding the day, through their index (matter_status_spans_day_idx), as mattersOnDay reads them.
  const parts: SQL[] = [sql`s.begun and s.day_range @> replace(${asOf}, '-', '')::integer`];
  if (q.kind?.length) parts.push(sql`s.kind = any(${textArray(q.kind)})`);
  if (q.status?.length) parts.push(sql`s.status = any(${textArray(q.status)})`);
  // The scope's matters (`matters` is the scope's table then), as mattersOnDay keeps to them.
  if (scope.kind !== "all") parts.push(sql`s.matter_id in (select id from matters)`);
  return sql.join(parts, sql` and `);
}

/** Whether the order reads the jurisdiction (the state or the place's name). */
const sortsByPlace = (sort: string | undefined) => /^-?(state|jurisdiction)$/.test(sort ?? "");

const STATUS_AS_OF_JSON = (asOf: string) =>
  sql`json_build_object('asOf', ${asOf}::text, 'status', sa.status, 'basis', sa.basis, 'decidedOn', sa.decided_on)`;

function whereOf(q: Omit<MatterListQuery, "limit" | "offset" | "sort">): {
  where: SQL;
  tsQuery: string | null;
  /** Whether any condition is set (`where` is empty otherwise). */
  filtered: boolean;
} {
  const parts: SQL[] = [];
  const tsQuery = toPrefixTsQuery(q.q);
  if (tsQuery) parts.push(sql`m.search @@ to_tsquery('english', ${tsQuery})`);
  // As of a day, a matter that had not begun is not part of the portfolio.
  if (q.asOf) parts.push(sql`sa.begun`);
  if (q.kind?.length) parts.push(sql`m.kind = any(${textArray(q.kind)})`);
  if (q.status?.length) parts.push(sql`${sql.raw(statusColumn(q))} = any(${textArray(q.status)})`);
  // The place filters name the matters' jurisdictions without joining them, so that a page and its
  // count need the jurisdictions only to sort by them; as an array of ids worked out first, so
  // that the matters' jurisdiction index finds them (with the kind's, the two combined) instead
  // of every matter being read and joined.
  if (q.state?.length)
    parts.push(
      sql`m.jurisdiction_id = any(array(select x.id from jurisdictions x where x.state_code = any(${textArray(q.state)})))`,
    );
  if (q.jurisdiction)
    parts.push(
      isUuid(q.jurisdiction)
        ? sql`m.jurisdiction_id = ${q.jurisdiction}`
        : sql`m.jurisdiction_id = any(array(select x.id from jurisdictions x where x.slug = ${q.jurisdiction}))`,
    );
  if (q.agency) {
    const cond = isUuid(q.agency) ? sql`a.id = ${q.agency}` : sql`a.slug = ${q.agency}`;
    parts.push(sql`exists (select 1 from matter_agencies ma join agencies a on a.id = ma.agency_id
      where ma.matter_id = m.id and ${cond})`);
  }
  if (q.agencyKind?.length) {
    parts.push(sql`exists (select 1 from matter_agencies ma join agencies a on a.id = ma.agency_id
      where ma.matter_id = m.id and a.kind = any(${textArray(q.agencyKind)}))`);
  }
  if (q.from !== undefined) parts.push(sql`m.start_year >= ${q.from}`);
  if (q.to !== undefined) parts.push(sql`m.start_year <= ${q.to}`);
  if (q.public !== undefined) parts.push(sql`m.public = ${q.public}`);
  return {
    where: parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``,
    tsQuery,
    filtered: parts.length > 0,
  };
}

/** The list's direction: descending for `-field`, and by default (the latest opened first). */
const sortDirection = (sort: string | undefined) => (sort?.startsWith("-") || !sort ? "desc" : "asc");

function orderOf(sort: string | undefined, tsQuery: string | null, asOf?: string): SQL {
  if (!sort && tsQuery)
    return sql`ts_rank(m.search, to_tsquery('english', ${tsQuery})) desc, m.title, m.slug`;
  const field = (sort ?? "-openedOn").replace(/^-/, "");
  const dir = sortDirection(sort);
  const col = field === "status" ? statusColumn({ asOf }) : (SORT_COLUMNS[field] ?? "m.opened_on");
  return sql.raw(`${col} ${dir} nulls last, m.slug asc`);
}

/** The agencies of matter `m`, in their order, as a JSON array. */
const AGENCIES_JSON =
  sql.raw(`coalesce((select json_agg(json_build_object('id', a.id, 'slug', a.slug, 'name', a.name, 'kind', a.kind)
    order by ma.position, a.name) from matter_agencies ma join agencies a on a.id = ma.agency_id where ma.matter_id = m.id), '[]'::json)`);

/**
 * How many matches past the page's start a list counts (and, searched with no sort, ranks): a broad
 * search or an unfiltered registry costs as much as a thousand matches, never every one. More
 * than that: the answer says `totalCapped` and its total is that bound (at least that many match).
 */
export const LIST_TOTAL_CAP = 1000;

/** The order in which a search with no sort reads the matches it ranks: the latest opened first. */
const CANDIDATE_ORDER = sql.raw("m.opened_on desc nulls last, m.slug asc");
/** A candidate's place in that order (`n`): the last one read only says that more match. */
const NUMBERED = sql`row_number() over (order by ${CANDIDATE_ORDER}) as n`;

/**
 * One page of the matters the scope allows, filtered and sorted, with the total: one statement.
 * The page first (index-friendly, nothing built for rows that are not shown, the
 * jurisdictions joined only to sort by them), then the jurisdiction and agencies of those rows
 * only. The total is the page's own size when the page is not full; only a full page (or an
 * empty one past the start: the matches before it) counts the matches, in the same statement,
 * and at most `cap` past the page's start (offset): beyond that the total is capped. A search
 * with no sort ranks the first offset + `cap` matches (the latest opened), not every one. The
 * filters' lists are one array parameter each, so that a count of kinds or states is not a
 * statement text of its own (PGlite keeps 100 texts parsed: 607 texts for 1,000 distinct lists
 * before, 290 now).
 */
export async function findMatters(ctx: ReadContext, q: MatterListQuery, options: { cap?: number } = {}) {
  const { db, scope } = ctx;
  const { where, tsQuery } = whereOf(q);
  const order = orderOf(q.sort, tsQuery, q.asOf);
  // Counted (and ranked) past the start: never fewer than a page.
  const bound = q.offset + Math.max(options.cap ?? LIST_TOTAL_CAP, q.limit);
  const ranked = !q.sort && tsQuery !== null;
  let page: SQL;
  // What the total counts (up to the bound and one more), and the candidates a search with no sort ranks.
  let matches = sql`select 1 from candidates`;
  let candidates: SQL | null = null;
  const { asOf } = q;
  const spanSort = SPAN_SORT_COLUMNS[(q.sort ?? "-openedOn").replace(/^-/, "")];
  const spanWhere = asOf && spanSort ? spanWhereOf(q, asOf, scope) : null;
  if (asOf && spanSort && spanWhere) {
    // As of a day, with filters and an order the day's spans carry: the matches are the day's
    // begun spans, read from their index alone (one scan, where a probe of each matter's spans
    // cost some 3 buffers a matter, 20,000-50,000 for a broad list). The page is taken from them
    // in the order's column first: the first offset + limit, with every match tied with the last
    // (`with ties`), so that the tie-break (the slug) reads only those matters; each row's span
    // is then read again (basis and date are not in the index).
    const dir = sql.raw(`${sortDirection(q.sort)} nulls last`);
    page = sql`select m.id, sa.status, sa.basis, sa.decided_on from (
        select m.id from (select s.matter_id, ${sql.raw(spanSort)} as k from matter_status_spans s where ${spanWhere}
          order by k ${dir} fetch first (${q.offset + q.limit}) rows with ties) s
        join matters m on m.id = s.matter_id order by s.k ${dir}, m.slug asc limit ${q.limit} offset ${q.offset}) m
        ${statusAsOfJoin(asOf)}`;
    matches = sql`select 1 from matter_status_spans s where ${spanWhere}`;
  } else if (asOf) {
    // As of a day each match's status is looked up (one probe of its spans) to filter on it. The
    // matters' own filters run first, fenced (offset 0), so that the planner reads only the
    // matches (by their indexes) instead of walking the whole list in its order to spare the
    // sort; with none, the list may be walked in its order, probing only until the page is full.
    const { where: matterWhere, filtered } = whereOf({ ...q, asOf: undefined, status: undefined });
    const base = (columns: SQL) =>
      filtered ? sql`(select ${columns} from matters m${matterWhere} offset 0) m` : sql`matters m`;
    const asOfWhere = sql` where sa.begun${q.status?.length ? sql` and sa.status = any(${textArray(q.status)})` : sql``}`;
    const dated = (columns: SQL, withPlace = false) =>
      sql`from ${base(columns)}${withPlace ? sql` join jurisdictions j on j.id = m.jurisdiction_id` : sql``} ${statusAsOfJoin(asOf)}${asOfWhere}`;
    if (ranked) {
      candidates = sql`select m.id, m.title, m.slug, m.search, sa.status, sa.basis, sa.decided_on, ${NUMBERED}
        ${dated(sql`m.*`)} order by ${CANDIDATE_ORDER} limit ${bound + 1}`;
      page = sql`select m.id, m.status, m.basis, m.decided_on from candidates m where m.n <= ${bound}
        order by ${order} limit ${q.limit} offset ${q.offset}`;
    } else {
      page = sql`select m.id, sa.status, sa.basis, sa.decided_on ${dated(sql`m.*`, sortsByPlace(q.sort))}
        order by ${order} limit ${q.limit} offset ${q.offset}`;
      matches = sql`select 1 ${dated(sql`m.id`)}`;
    }
  } else if (ranked) {
    candidates = sql`select m.id, m.title, m.slug, m.search, ${NUMBERED} from matters m${where}
      order by ${CANDIDATE_ORDER} limit ${bound + 1}`;
    page = sql`select m.id from candidates m where m.n <= ${bound} order by ${order} limit ${q.limit} offset ${q.offset}`;
  } else {
    page = sql`select ${PAGE_COLUMNS} ${fromOf(q, sortsByPlace(q.sort))}${where} order by ${order} limit ${q.limit} offset ${q.offset}`;
    matches = sql`select 1 ${fromOf(q, false)}${where}`;
  }
  // A plain page carries the matters' columns it shows (read from the rows it sorted anyway) and
  // stands for them as m; a ranked or dated one names its rows, which are read again by id.
  const carried = !asOf && !ranked;
  // Ranked, the candidates read (one more than ranked, to know whether more match) are the count.
  const ctes = candidates ? sql`candidates as (${candidates}), ` : sql``;
  // One row and one value, the page as JSON: PGlite's protocol parser (and pg's, less so) costs
  // per field, some 17 a matter, where JSON.parse reads the page at once. Grouped by the one
  // row of shown, an empty page gives no item but still its total.
  const rows = await queryRows<{ page: { items: MatterListItem[]; total: number } }>(
    db,
    sql`with ${scopeTables(scope)}${ctes}page as (${page}),
          shown as (select count(*)::int as n from page)
        select json_build_object(
          'items', coalesce(json_agg(${LIST_ITEM_JSON(sql`, 'agencies', ${AGENCIES_JSON}${q.asOf ? sql`, 'statusAsOf', ${STATUS_AS_OF_JSON(q.asOf)}` : sql``}`)}
            order by ${order}) filter (where m.id is not null), '[]'::json),
          'total', case when shown.n < ${q.limit} and (shown.n > 0 or ${q.offset} = 0) then ${q.offset} + shown.n
            else (select count(*)::int from (${matches} limit ${bound + 1}) c) end) as page
        from shown left join (${carried ? sql`page m` : sql`page ${q.asOf ? sql`sa` : sql``} join matters m on m.id = ${q.asOf ? sql`sa` : sql`page`}.id`}
          join jurisdictions j on j.id = m.jurisdiction_id) on true
        group by shown.n`,
  );
  const { items, total: counted } = rows[0]!.page;
  return {
    items,
    total: Math.min(counted, bound),
    totalCapped: counted > bound,
    limit: q.limit,
    offset: q.offset,
  };
}

/** The current selection of the list as CSV (every page, up to `max` rows). */
export async function exportMattersCsv(ctx: ReadContext, q: MatterListQuery, max = 50_000): Promise<string> {
  const { where, tsQuery } = whereOf(q);
  const rows = await queryRows<Record<string, string | null>>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select m.slug, m.kind, ${sql.raw(statusColumn(q))} as status, m.title, j.slug as jurisdiction, j.state_code as state,
          (select string_agg(a.slug, ';' order by ma.position) from matter_agencies ma join agencies a on a.id = ma.agency_id
            where ma.matter_id = m.id) as agencies,
          m.authority, m.court, m.case_number as "caseNumber", m.judge, m.monitor,
          m.opened_on as "openedOn", m.findings_on as "findingsOn", m.agreement_on as "agreementOn",
          m.entered_on as "enteredOn", m.ended_on as "endedOn", m.status_note as "statusNote", m.summary,
          m.public::text as public
        ${fromOf(q)}${where}
        order by ${orderOf(q.sort, tsQuery, q.asOf)} limit ${max}`,
    ),
  );
  const header = [...MATTER_CSV_COLUMNS.slice(0, 5), "state", ...MATTER_CSV_COLUMNS.slice(5)];
  return toCsv(
    header,
    rows.map((r) => header.map((h) => r[h] ?? "")),
  );
}

const EVENT_JSON = sql.raw(`json_build_object('id', e.id, 'slug', e.slug, 'matterId', e.matter_id,
  'matter', json_build_object('id', m.id, 'slug', m.slug, 'title', m.title, 'kind', m.kind),
  'kind', e.kind, 'date', e.date, 'time', e.time, 'status', e.status, 'newDate', e.new_date, 'title', e.title,
  'description', e.description, 'actor', e.actor, 'jurisdictionId', e.jurisdiction_id,
  'outcome', e.outcome, 'favors', e.favors, 'sources', e.sources, 'public', e.public, 'version', e.version,
  'createdAt', ${isoTimeText("e.created_at")}, 'updatedAt', ${isoTimeText("e.updated_at")})`);

/**
 * A matter with its agencies, timeline and related matters, in one statement; of its events and
 * related matters only those the scope allows.
 */
export async function findMatter(ctx: ReadContext, key: string, lock = false): Promise<Matter | undefined> {
  const cond = isUuid(key) ? sql`m.id = ${key}` : sql`m.slug = ${key}`;
  return queryOne<Matter>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select m.id, m.slug, m.kind, m.status, m.title, m.summary, ${JURISDICTION_JSON} as jurisdiction,
          m.authority, m.court, m.case_number as "caseNumber", m.judge, m.monitor,
          m.opened_on as "openedOn", m.findings_on as "findingsOn", m.agreement_on as "agreementOn",
          m.entered_on as "enteredOn", m.ended_on as "endedOn", m.status_note as "statusNote", m.sources,
          m.public, m.inferred, m.disagreements, m.version,
          ${isoTime("m.created_at")} as "createdAt", ${isoTime("m.updated_at")} as "updatedAt",
          ${AGENCIES_JSON} as agencies,
          coalesce((select json_agg(${EVENT_JSON} order by e.date, e.time nulls first, e.slug)
            from events e where e.matter_id = m.id), '[]'::json) as events,
          coalesce((select json_agg(r order by r.slug) from (
              select o.id, o.slug, o.kind, o.status, o.title, x.relation, 'from' as direction
                from matter_relations x join matters o on o.id = x.to_matter_id where x.from_matter_id = m.id
              union all
              select o.id, o.slug, o.kind, o.status, o.title, x.relation, 'to' as direction
                from matter_relations x join matters o on o.id = x.from_matter_id where x.to_matter_id = m.id) r),
            '[]'::json) as related
        from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${cond}${lock ? sql` for update of m` : sql``}`,
    ),
  );
}

/**
 * The status a matter had on a day and how that was decided, or null when it had not begun.
 * It reads the matter's dated facts whoever asks: the status is the matter's, not the reader's.
 */
export async function matterStatusAsOf(ctx: ReadContext, matterId: string, asOf: string) {
  const row = await queryOne<{ begun: boolean; statusAsOf: Matter["statusAsOf"] }>(
    ctx.db,
    sql`select sa.begun, ${STATUS_AS_OF_JSON(asOf)} as "statusAsOf"
        from matters m ${statusAsOfJoin(asOf)} where m.id = ${matterId}`,
  );
  return row?.begun ? row.statusAsOf! : null;
}

/** A matter the scope allows (404 otherwise); `lock` locks its row for the transaction. */
export async function getMatter(ctx: ReadContext, key: string, lock = false): Promise<Matter> {
  const m = await findMatter(ctx, key, lock);
  if (!m) throw notFound("matter", key);
  return m;
}
