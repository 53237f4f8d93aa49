import {
  type AgencySummary,
  type Event,
  MATTER_CSV_COLUMNS,
  type Matter,
  type MatterListItem,
  type MatterListQuery,
  type RelatedMatter,
  toCsv,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../db/open.js";
import { isoTime, isUuid, list, queryOne, queryRows, toPrefixTsQuery } from "../../db/sql.js";
import { notFound } from "../../http/errors.js";
import { EVENT_SELECT } from "../events/queries.js";

const JURISDICTION_JSON = sql.raw(
  `json_build_object('id', j.id, 'slug', j.slug, 'name', j.name, 'kind', j.kind, 'stateCode', j.state_code)`,
);

const LIST_COLUMNS = sql`
  m.id, m.slug, m.kind, m.status, m.title, ${JURISDICTION_JSON} as jurisdiction,
  m.opened_on as "openedOn", m.findings_on as "findingsOn", m.agreement_on as "agreementOn",
  m.entered_on as "enteredOn", m.ended_on as "endedOn", m.version, ${isoTime("m.updated_at")} as "updatedAt"`;

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

function whereOf(q: Omit<MatterListQuery, "limit" | "offset" | "sort">): {
  where: SQL;
  tsQuery: string | null;
} {
  const parts: SQL[] = [];
  const tsQuery = toPrefixTsQuery(q.q);
  if (tsQuery) parts.push(sql`m.search @@ to_tsquery('english', ${tsQuery})`);
  if (q.kind?.length) parts.push(sql`m.kind in (${list(q.kind)})`);
  if (q.status?.length) parts.push(sql`m.status in (${list(q.status)})`);
  if (q.state?.length) parts.push(sql`j.state_code in (${list(q.state)})`);
  if (q.jurisdiction)
    parts.push(isUuid(q.jurisdiction) ? sql`j.id = ${q.jurisdiction}` : sql`j.slug = ${q.jurisdiction}`);
  if (q.agency) {
    const cond = isUuid(q.agency) ? sql`a.id = ${q.agency}` : sql`a.slug = ${q.agency}`;
    parts.push(sql`exists (select 1 from matter_agencies ma join agencies a on a.id = ma.agency_id
      where ma.matter_id = m.id and ${cond})`);
  }
  if (q.agencyKind?.length) {
    parts.push(sql`exists (select 1 from matter_agencies ma join agencies a on a.id = ma.agency_id
      where ma.matter_id = m.id and a.kind in (${list(q.agencyKind)}))`);
  }
  if (q.from !== undefined) parts.push(sql`m.start_year >= ${q.from}`);
  if (q.to !== undefined) parts.push(sql`m.start_year <= ${q.to}`);
  return { where: parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``, tsQuery };
}

function orderOf(sort: string | undefined, tsQuery: string | null): SQL {
  if (!sort && tsQuery)
    return sql`ts_rank(m.search, to_tsquery('english', ${tsQuery})) desc, m.title, m.slug`;
  const field = (sort ?? "-openedOn").replace(/^-/, "");
  const dir = sort?.startsWith("-") || !sort ? "desc" : "asc";
  const col = SORT_COLUMNS[field] ?? "m.opened_on";
  return sql.raw(`${col} ${dir} nulls last, m.slug asc`);
}

async function agenciesOf(db: Queryable, matterIds: string[]): Promise<Map<string, AgencySummary[]>> {
  const byMatter = new Map<string, AgencySummary[]>();
  if (matterIds.length === 0) return byMatter;
  const rows = await queryRows<AgencySummary & { matterId: string }>(
    db,
    sql`select ma.matter_id as "matterId", a.id, a.slug, a.name, a.kind
        from matter_agencies ma join agencies a on a.id = ma.agency_id
        where ma.matter_id in (${list(matterIds)}) order by ma.position, a.name`,
  );
  for (const { matterId, ...agency } of rows) {
    const arr = byMatter.get(matterId) ?? [];
    arr.push(agency);
    byMatter.set(matterId, arr);
  }
  return byMatter;
}

export async function findMatters(db: Queryable, q: MatterListQuery) {
  const { where, tsQuery } = whereOf(q);
  const from = sql`from matters m join jurisdictions j on j.id = m.jurisdiction_id`;
  const rows = await queryRows<Omit<MatterListItem, "agencies">>(
    db,
    sql`select ${LIST_COLUMNS} ${from}${where} order by ${orderOf(q.sort, tsQuery)} limit ${q.limit} offset ${q.offset}`,
  );
  const total =
    rows.length < q.limit && (q.offset === 0 || rows.length > 0)
      ? q.offset + rows.length
      : ((await queryOne<{ n: number }>(db, sql`select count(*)::int as n ${from}${where}`))?.n ?? 0);
  const agencies = await agenciesOf(
    db,
    rows.map((r) => r.id),
  );
  const items: MatterListItem[] = rows.map((r) => ({ ...r, agencies: agencies.get(r.id) ?? [] }));
  return { items, total, limit: q.limit, offset: q.offset };
}

/** The current selection of the list as CSV (every page, up to `max` rows). */
export async function exportMattersCsv(db: Queryable, q: MatterListQuery, max = 50_000): Promise<string> {
  const { where, tsQuery } = whereOf(q);
  const rows = await queryRows<Record<string, string | null>>(
    db,
    sql`select m.slug, m.kind, m.status, m.title, j.slug as jurisdiction, j.state_code as state,
          (select string_agg(a.slug, ';' order by ma.position) from matter_agencies ma join agencies a on a.id = ma.agency_id
            where ma.matter_id = m.id) as agencies,
          m.authority, m.court, m.case_number as "caseNumber", m.judge, m.monitor,
          m.opened_on as "openedOn", m.findings_on as "findingsOn", m.agreement_on as "agreementOn",
          m.entered_on as "enteredOn", m.ended_on as "endedOn", m.status_note as "statusNote", m.summary
        from matters m join jurisdictions j on j.id = m.jurisdiction_id${where}
        order by ${orderOf(q.sort, tsQuery)} limit ${max}`,
  );
  const header = [...MATTER_CSV_COLUMNS.slice(0, 5), "state", ...MATTER_CSV_COLUMNS.slice(5)];
  return toCsv(
    header,
    rows.map((r) => header.map((h) => r[h] ?? "")),
  );
}

type MatterRow = Omit<Matter, "agencies" | "events" | "related">;

export async function findMatter(db: Queryable, key: string, lock = false): Promise<Matter | undefined> {
  const cond = isUuid(key) ? sql`m.id = ${key}` : sql`m.slug = ${key}`;
  const row = await queryOne<MatterRow>(
    db,
    sql`select m.id, m.slug, m.kind, m.status, m.title, m.summary, ${JURISDICTION_JSON} as jurisdiction,
          m.authority, m.court, m.case_number as "caseNumber", m.judge, m.monitor,
          m.opened_on as "openedOn", m.findings_on as "findingsOn", m.agreement_on as "agreementOn",
          m.entered_on as "enteredOn", m.ended_on as "endedOn", m.status_note as "statusNote", m.sources,
          m.version, ${isoTime("m.created_at")} as "createdAt", ${isoTime("m.updated_at")} as "updatedAt"
        from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${cond}${lock ? sql` for update of m` : sql``}`,
  );
  if (!row) return undefined;
  const [agencies, events, related] = [
    await agenciesOf(db, [row.id]),
    await queryRows<Event>(
      db,
      sql`${EVENT_SELECT} where e.matter_id = ${row.id} order by e.date, e.time nulls first, e.slug`,
    ),
    await queryRows<RelatedMatter>(
      db,
      sql`select o.id, o.slug, o.kind, o.status, o.title, r.relation, 'from' as direction
            from matter_relations r join matters o on o.id = r.to_matter_id where r.from_matter_id = ${row.id}
          union all
          select o.id, o.slug, o.kind, o.status, o.title, r.relation, 'to' as direction
            from matter_relations r join matters o on o.id = r.from_matter_id where r.to_matter_id = ${row.id}
          order by slug`,
    ),
  ];
  return { ...row, agencies: agencies.get(row.id) ?? [], events, related };
}

export async function getMatter(db: Queryable, key: string, lock = false): Promise<Matter> {
  const m = await findMatter(db, key, lock);
  if (!m) throw notFound("matter", key);
  return m;
}
