import {
  type AcceptCounts,
  type DeadlineListQuery,
  type DecreeParse,
  type DecreeParseListItem,
  matchProvisions,
  type ParsedProvision,
  type Provision,
  type ProvisionListQuery,
  TOPICS,
  type Topic,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError, notFound } from "../../context/app-error.js";
import { ALL, inScope, type ReadScope, scopeTables } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows, toPrefixTsQuery } from "../../db/sql.js";
import {
  datesOf,
  defaultUntil,
  effectiveDateOf,
  kindOf,
  type MatterDates,
  occurrencesOf,
  readDeadlines,
} from "./deadlines.js";
import {
  type ProvisionRow,
  presentClassifierTopics,
  presentProvisionListItem,
} from "./provisions.presenter.js";

// ---------------------------------------------------------------- matters

export interface MatterRef extends MatterDates {
  id: string;
  slug: string;
  title: string;
}

/** The matter (by id or slug) if the scope allows it, with the dates deadlines are counted from. */
export async function getMatterRef(db: Queryable, key: string, scope: ReadScope = ALL): Promise<MatterRef> {
  const cond = isUuid(key) ? sql`m.id = ${key}` : sql`m.slug = ${key}`;
  const m = await queryOne<MatterRef>(
    db,
    inScope(
      scope,
      sql`select m.id, m.slug, m.title, m.entered_on as "enteredOn", m.agreement_on as "agreementOn",
          m.ended_on as "endedOn" from matters m where ${cond}`,
    ),
  );
  if (!m) throw notFound("matter", key);
  return m;
}

// ---------------------------------------------------------------- parses

interface ParseRow extends Omit<DecreeParse, "preview"> {
  matterId: string;
}

const PARSE_SELECT = sql`select x.id, json_build_object('id', d.id, 'title', d.title, 'kind', d.kind) as document,
    json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter, x.matter_id as "matterId",
    x.status, x.provisions, x.sections, x.toc, x.warnings, x.version, x.created_by as "createdBy",
    ${isoTime("x.created_at")} as "createdAt", ${isoTime("x.accepted_at")} as "acceptedAt"
  from decree_parses x join documents d on d.id = x.document_id join matters m on m.id = x.matter_id`;

const notFoundParse = (id: string) => appError("not_found", `No parse has the id "${id}"`);

/** A parse the scope allows (`lock`: whole registry only, locks its row). */
export async function getParseRow(db: Queryable, id: string, scope: ReadScope = ALL, lock = false) {
  if (!isUuid(id)) throw notFoundParse(id);
  const row = await queryOne<ParseRow>(
    db,
    inScope(scope, sql`${PARSE_SELECT} where x.id = ${id}${lock ? sql` for update of x` : sql``}`),
  );
  if (!row) throw notFoundParse(id);
  return row;
}

/** The matter's current provisions, as matched against a parse. */
export function currentProvisions(db: Queryable, matterId: string, lock = false) {
  return queryRows<{ id: string; number: number; text: string }>(
    db,
    sql`select id, number, text from provisions where matter_id = ${matterId} and retired_at is null
      order by number${lock ? sql` for update` : sql``}`,
  );
}

/** The matter's retired provisions, the most recently retired first: their texts may come back. */
export function retiredProvisions(db: Queryable, matterId: string, lock = false) {
  return queryRows<{ id: string; number: number; text: string }>(
    db,
    sql`select id, number, text from provisions where matter_id = ${matterId} and retired_at is not null
      order by retired_at desc, number${lock ? sql` for update` : sql``}`,
  );
}

/** What accepting these provisions would do to the matter's current ones. */
export async function previewAccept(
  db: Queryable,
  matterId: string,
  provisions: readonly ParsedProvision[],
): Promise<AcceptCounts> {
  const match = matchProvisions(
    await currentProvisions(db, matterId),
    provisions,
    await retiredProvisions(db, matterId),
  );
  return {
    kept: match.kept.length,
    renumbered: match.renumbered.length,
    restored: match.restored.length,
    changed: match.changed.length,
    added: match.added.length,
    retired: match.retired.length,
  };
}

export async function getParse(db: Queryable, id: string, scope: ReadScope = ALL): Promise<DecreeParse> {
  const { matterId, ...row } = await getParseRow(db, id, scope);
  const preview =
    row.status === "draft" ? await previewAccept(db, matterId, row.provisions as ParsedProvision[]) : null;
  return { ...row, preview };
}

/** The parses of a matter's documents, newest first (without their provisions). */
export async function listMatterParses(db: Queryable, matterKey: string, scope: ReadScope = ALL) {
  const matter = await getMatterRef(db, matterKey, scope);
  const items = await queryRows<DecreeParseListItem>(
    db,
    inScope(
      scope,
      sql`select x.id, json_build_object('id', d.id, 'title', d.title, 'kind', d.kind) as document,
          json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter,
          x.status, x.warnings, jsonb_array_length(x.provisions)::int as "provisionCount", x.version,
          x.created_by as "createdBy", ${isoTime("x.created_at")} as "createdAt", ${isoTime("x.accepted_at")} as "acceptedAt"
        from decree_parses x join documents d on d.id = x.document_id join matters m on m.id = x.matter_id
        where x.matter_id = ${matter.id} order by x.created_at desc, x.id limit 100`,
    ),
  );
  return { items };
}

// ---------------------------------------------------------------- provisions

const PROVISION_COLUMNS = sql`p.id, json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter,
  p.number, p.label, p.path, p.sections, p.text, p.page, p.page_end as "pageEnd", p.is_definition as "isDefinition",
  p.terms, p.topics, p.topics_override as "topicsOverride",
  (select count(*)::int from provision_deadlines x where x.provision_id = p.id) as "deadlineCount",
  ${isoTime("p.retired_at")} as "retiredAt", p.terminated_on as "terminatedOn"`;

const FROM = sql`from provisions p join matters m on m.id = p.matter_id`;

/** The topics in force include `topic`: a person's correction when there is one, else the classifier's. */
export const hasTopic = (topic: Topic) =>
  sql`(case when p.topics_override is null then p.topics @> ${JSON.stringify([{ topic }])}::jsonb
    else p.topics_override @> ${JSON.stringify([topic])}::jsonb end)`;

function conditionsOf(q: Partial<ProvisionListQuery>): SQL[] {
  const parts: SQL[] = [];
  if (!q.includeRetired) parts.push(sql`p.retired_at is null`);
  const topics = (q.topic ?? []).filter((t) => TOPICS.includes(t));
  if (topics.length)
    parts.push(
      sql`(${sql.join(
        topics.map((t) => hasTopic(t)),
        sql` or `,
      )})`,
    );
  if (q.section) {
    const [outer, inner] = q.section.split(".");
    parts.push(sql`p.sections->0->>'number' = ${outer!.toUpperCase()}`);
    if (inner) parts.push(sql`p.sections->1->>'number' = ${inner.toUpperCase()}`);
  }
  if (q.q) {
    const number = /^(?:¶\s*)?(\d{1,6})$/.exec(q.q.trim());
    const ts = toPrefixTsQuery(q.q);
    if (number) parts.push(sql`p.number = ${Number(number[1])}`);
    else if (ts) parts.push(sql`p.search @@ to_tsquery('english', ${ts})`);
  }
  return parts;
}

async function pageOfProvisions(
  db: Queryable,
  where: SQL[],
  order: SQL,
  q: Pick<ProvisionListQuery, "limit" | "offset">,
  scope: ReadScope,
) {
  const cond = where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``;
  const rows = await queryRows<ProvisionRow>(
    db,
    inScope(
      scope,
      sql`select ${PROVISION_COLUMNS} ${FROM}${cond} order by ${order} limit ${q.limit} offset ${q.offset}`,
    ),
  );
  const total =
    rows.length < q.limit && (q.offset === 0 || rows.length > 0)
      ? q.offset + rows.length
      : ((await queryOne<{ n: number }>(db, inScope(scope, sql`select count(*)::int as n ${FROM}${cond}`)))
          ?.n ?? 0);
  return { items: rows.map(presentProvisionListItem), total, limit: q.limit, offset: q.offset };
}

/** The order a list asks for, then the decree's order. */
function sortOf(sort: ProvisionListQuery["sort"]): SQL {
  const desc = sort.startsWith("-") ? sql` desc` : sql``;
  switch (sort.replace(/^-/, "")) {
    case "page":
      return sql`p.page${desc} nulls last, p.number`;
    case "deadlines":
      return sql`(select count(*) from provision_deadlines x where x.provision_id = p.id)${desc}, p.number`;
    default:
      return sql`p.number${desc}`;
  }
}

/** A matter's provisions in the order asked for, the decree's by default (retired ones, when asked for, last). */
export async function listMatterProvisions(
  db: Queryable,
  matterKey: string,
  q: ProvisionListQuery,
  scope: ReadScope = ALL,
) {
  const matter = await getMatterRef(db, matterKey, scope);
  return pageOfProvisions(
    db,
    [sql`p.matter_id = ${matter.id}`, ...conditionsOf(q)],
    sql`p.retired_at is not null, ${sortOf(q.sort)}, p.retired_at desc, p.id`,
    q,
    scope,
  );
}

/** Provisions across every matter in view, by matter, then in the order asked for. */
export async function listProvisions(db: Queryable, q: ProvisionListQuery, scope: ReadScope = ALL) {
  return pageOfProvisions(
    db,
    conditionsOf(q),
    sql`m.title, m.id, ${sortOf(q.sort)}, p.retired_at desc, p.id`,
    q,
    scope,
  );
}

const notFoundProvision = (id: string) => appError("not_found", `No provision has the id "${id}"`);

export async function getProvisionRow(
  db: Queryable,
  id: string,
  scope: ReadScope = ALL,
  lock = false,
): Promise<ProvisionRow & { version: number }> {
  if (!isUuid(id)) throw notFoundProvision(id);
  const row = await queryOne<ProvisionRow & { version: number }>(
    db,
    inScope(
      scope,
      sql`select ${PROVISION_COLUMNS}, p.version ${FROM} where p.id = ${id}${lock ? sql` for update of p` : sql``}`,
    ),
  );
  if (!row) throw notFoundProvision(id);
  return row;
}

/** The provision's ratings, newest period first, read from the monitor's assessments. */
async function readRatings(db: Queryable, provisionId: string) {
  return queryRows<Provision["ratings"][number]>(
    db,
    sql`select rp.label as "periodLabel", rp.ends_on as "endsOn", a.level, a.rationale, a.evidence,
        ${isoTime("a.rated_at")} as "ratedAt"
      from assessments a join reporting_periods rp on rp.id = a.period_id
      where a.provision_id = ${provisionId} order by rp.ends_on desc, rp.label`,
  );
}

/** A provision with its document, topics (and the words that decided), deadlines and ratings. */
export async function getProvision(
  db: Queryable,
  id: string,
  scope: ReadScope,
  today: string,
): Promise<Provision> {
  const row = await getProvisionRow(db, id, scope);
  const extra = await queryOne<{
    document: Provision["document"];
    version: number;
    createdAt: string;
    updatedAt: string;
  }>(
    db,
    inScope(
      scope,
      sql`select case when d.id is null then null
            else json_build_object('id', d.id, 'title', d.title, 'kind', d.kind) end as document,
          p.version, ${isoTime("p.created_at")} as "createdAt", ${isoTime("p.updated_at")} as "updatedAt"
        from provisions p left join documents d on d.id = p.document_id where p.id = ${id}`,
    ),
  );
  const until = defaultUntil(today);
  const deadlines = (await readDeadlines(db, sql`p.id = ${id}`, scope)).map((d) => {
    const { dates, note } = datesOf(d, until);
    return {
      id: d.id,
      phrase: d.phrase,
      kind: kindOf(d),
      offset: d.offset,
      recurrence: d.recurrence,
      anchor: d.anchor,
      anchorDate: d.anchorDate,
      dates,
      note,
    };
  });
  // Retired provisions have no deadlines in force, but their history is theirs.
  return {
    ...presentProvisionListItem(row),
    document: extra?.document ?? null,
    classifierTopics: presentClassifierTopics(row),
    deadlines,
    ratings: await readRatings(db, id),
    version: extra?.version ?? row.version,
    createdAt: extra?.createdAt ?? "",
    updatedAt: extra?.updatedAt ?? "",
  };
}

/** The current provision numbered `number` of the matter: the citable address. */
export async function resolveProvisionNumber(
  db: Queryable,
  matterKey: string,
  number: number,
  scope: ReadScope = ALL,
): Promise<string> {
  const matter = await getMatterRef(db, matterKey, scope);
  const row = await queryOne<{ id: string }>(
    db,
    sql`select id from provisions where matter_id = ${matter.id} and number = ${number} and retired_at is null`,
  );
  if (!row) throw appError("not_found", `${matter.title} has no current ¶ ${number}`);
  return row.id;
}

// ---------------------------------------------------------------- similar provisions

/** Candidates read from the full-text index before they are ranked here. */
const SIMILAR_CANDIDATES = 200;
/** Below this share of common words, two provisions are not called similar. */
const SIMILAR_FLOOR = 0.05;

/**
 * Other matters' provisions most like this one: candidates are those sharing its words (the
 * full-text index, ranked by PostgreSQL), then ranked here by the Jaccard similarity of their
 * sets of word stems, those sharing a topic with it first.
 */
export async function findSimilarProvisions(
  db: Queryable,
  id: string,
  limit: number,
  scope: ReadScope = ALL,
) {
  const source = await getProvisionRow(db, id, scope);
  const rows = await queryRows<ProvisionRow & { lexemes: string[] }>(
    db,
    sql`with ${scopeTables(scope)}
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

// ---------------------------------------------------------------- deadlines

/** A matter's deadlines as dates from its effective date (recurring ones repeated), then those without a date. */
export async function listMatterDeadlines(
  db: Queryable,
  matterKey: string,
  q: DeadlineListQuery,
  today: string,
  scope: ReadScope = ALL,
) {
  const matter = await getMatterRef(db, matterKey, scope);
  const effective = effectiveDateOf(matter);
  const all = occurrencesOf(await readDeadlines(db, sql`p.matter_id = ${matter.id}`, scope), q, today, true);
  return {
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    effectiveDate: effective.date,
    note: effective.note,
    items: all.slice(q.offset, q.offset + q.limit),
    total: all.length,
    limit: q.limit,
    offset: q.offset,
  };
}

/** The dated deadlines of every matter in view, by date (for the dashboard). */
export async function listDeadlines(
  db: Queryable,
  q: DeadlineListQuery,
  today: string,
  scope: ReadScope = ALL,
) {
  const all = occurrencesOf(await readDeadlines(db, sql`true`, scope), q, today, false);
  return {
    items: all.slice(q.offset, q.offset + q.limit),
    total: all.length,
    limit: q.limit,
    offset: q.offset,
  };
}
