import {
  type ComplianceLevel,
  DEFAULT_COMPLIANCE_LEVELS,
  datesOfDeadline,
  deadlineKindOf,
  defaultDeadlineUntil,
  normalizedOf,
  type Provision,
  type ProvisionListQuery,
  RATERS,
  ratingsDisagree,
  TOPICS,
  type Topic,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { isoTime, isUuid, queryOne, queryRows, toPrefixTsQuery } from "../../../db/sql.js";
import {
  type ProvisionRow,
  presentClassifierTopics,
  presentProvisionListItem,
} from "../provisions.presenter.js";
import { readDeadlines } from "./deadlines.js";
import { getMatterRef } from "./matter-ref.js";

export const PROVISION_COLUMNS = sql`p.id, json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter,
  p.number, p.label, p.parent_id as "parentId", p.depth, p.heading, p.caption, p.path, p.sections, p.text, p.page, p.page_end as "pageEnd", p.is_definition as "isDefinition",
  p.terms, p.topics, p.topics_override as "topicsOverride",
  (select count(*)::int from provision_deadlines x where x.provision_id = p.id) as "deadlineCount",
  ${isoTime("p.retired_at")} as "retiredAt", p.terminated_on as "terminatedOn"`;

export const FROM = sql`from provisions p join matters m on m.id = p.matter_id`;

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
  ctx: ReadContext,
  where: SQL[],
  order: SQL,
  q: Pick<ProvisionListQuery, "limit" | "offset">,
) {
  const cond = where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``;
  const rows = await queryRows<ProvisionRow>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select ${PROVISION_COLUMNS} ${FROM}${cond} order by ${order} limit ${q.limit} offset ${q.offset}`,
    ),
  );
  const total =
    rows.length < q.limit && (q.offset === 0 || rows.length > 0)
      ? q.offset + rows.length
      : ((
          await queryOne<{ n: number }>(
            ctx.db,
            inScope(ctx.scope, sql`select count(*)::int as n ${FROM}${cond}`),
          )
        )?.n ?? 0);
  return { items: rows.map(presentProvisionListItem), total, limit: q.limit, offset: q.offset };
}

/** The order a list asks for, then the decree's order. */
function sortOf(sort: ProvisionListQuery["sort"]): SQL {
  const desc = sort.startsWith("-") ? sql` desc` : sql``;
  switch (sort.replace(/^-/, "")) {
    case "page":
      return sql`p.page${desc} nulls last, p.position`;
    case "deadlines":
      return sql`(select count(*) from provision_deadlines x where x.provision_id = p.id)${desc}, p.position`;
    default:
      return sql`p.position${desc}`;
  }
}

/** A matter's provisions in the order asked for, the decree's by default (retired ones, when asked for, last). */
export async function listMatterProvisions(ctx: ReadContext, matterKey: string, q: ProvisionListQuery) {
  const matter = await getMatterRef(ctx, matterKey);
  return pageOfProvisions(
    ctx,
    [sql`p.matter_id = ${matter.id}`, ...conditionsOf(q)],
    sql`p.retired_at is not null, ${sortOf(q.sort)}, p.retired_at desc, p.id`,
    q,
  );
}

/** Provisions across every matter in view, by matter, then in the order asked for. */
export async function listProvisions(ctx: ReadContext, q: ProvisionListQuery) {
  return pageOfProvisions(
    ctx,
    conditionsOf(q),
    sql`m.title, m.id, ${sortOf(q.sort)}, p.retired_at desc, p.id`,
    q,
  );
}

const notFoundProvision = (id: string) => appError("not_found", `No provision has the id "${id}"`);

/** A provision as stored, if the caller's scope allows its matter (`lock`: locks its row). */
export async function getProvisionRow(
  ctx: ReadContext,
  id: string,
  lock = false,
): Promise<ProvisionRow & { version: number }> {
  if (!isUuid(id)) throw notFoundProvision(id);
  const row = await queryOne<ProvisionRow & { version: number }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select ${PROVISION_COLUMNS}, p.version ${FROM} where p.id = ${id}${lock ? sql` for update of p` : sql``}`,
    ),
  );
  if (!row) throw notFoundProvision(id);
  return row;
}

type Rating = Provision["ratings"][number];

/**
 * The provision's ratings by every rater, newest period first and the monitor's first within a
 * period, each with its level as the matter's scale names it and its evidence's document titles
 * (of the documents the reader may see).
 */
async function readRatings(ctx: ReadContext, provisionId: string, matterId: string): Promise<Rating[]> {
  const rows = await queryRows<Omit<Rating, "levelLabel" | "normalized">>(
    ctx.db,
    sql`select a.period_id as "periodId", rp.label as "periodLabel", rp.ends_on as "endsOn", a.rater, a.level,
        a.rationale, a.evidence, ${isoTime("a.rated_at")} as "ratedAt", a.version
      from assessments a join reporting_periods rp on rp.id = a.period_id
      where a.provision_id = ${provisionId} order by rp.ends_on desc nulls last, length(rp.label) desc, rp.label desc, a.period_id`,
  );
  if (!rows.length) return [];
  const scale = await queryOne<{ levels: ComplianceLevel[] }>(
    ctx.db,
    sql`select levels from compliance_scales where matter_id = ${matterId}`,
  );
  const levels = scale?.levels ?? DEFAULT_COMPLIANCE_LEVELS;
  const documentIds = [...new Set(rows.flatMap((r) => r.evidence.map((e) => e.documentId)))];
  const titles = new Map(
    (documentIds.length
      ? await queryRows<{ id: string; title: string }>(
          ctx.db,
          inScope(
            ctx.scope,
            sql`select id, title from documents
                where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(documentIds)}::jsonb))`,
          ),
        )
      : []
    ).map((d) => [d.id, d.title]),
  );
  const rank = (r: Rating["rater"]) => RATERS.indexOf(r);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.periodId === b.r.periodId ? rank(a.r.rater) - rank(b.r.rater) : a.i - b.i))
    .map(({ r }) => {
      return {
        ...r,
        levelLabel: levels.find((l) => l.code === r.level)?.label ?? r.level,
        normalized: normalizedOf(levels, r.level),
        evidence: r.evidence.map((e) => ({ ...e, title: titles.get(e.documentId) ?? null })),
      };
    });
}

/** The ratings a row per period, each rater's side by side, flagged where two raters disagree. */
function ratingPeriodsOf(ratings: readonly Rating[]): Provision["ratingPeriods"] {
  const periods: Provision["ratingPeriods"] = [];
  for (const r of ratings) {
    let row = periods.at(-1);
    if (row?.periodId !== r.periodId) {
      row = {
        periodId: r.periodId,
        periodLabel: r.periodLabel,
        endsOn: r.endsOn,
        ratings: [],
        disagreement: false,
      };
      periods.push(row);
    }
    row.ratings.push(r);
  }
  for (const row of periods) row.disagreement = ratingsDisagree(row.ratings.map((r) => r.normalized));
  return periods;
}

/**
 * A provision with its document, topics (and the words that decided), deadlines (dated up to two
 * years from the context's today) and ratings.
 */
export async function getProvision(ctx: ReadContext, id: string): Promise<Provision> {
  const row = await getProvisionRow(ctx, id);
  const extra = await queryOne<{
    document: Provision["document"];
    version: number;
    createdAt: string;
    updatedAt: string;
  }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select case when d.id is null then null
            else json_build_object('id', d.id, 'title', d.title, 'kind', d.kind) end as document,
          p.version, ${isoTime("p.created_at")} as "createdAt", ${isoTime("p.updated_at")} as "updatedAt"
        from provisions p left join documents d on d.id = p.document_id where p.id = ${id}`,
    ),
  );
  const until = defaultDeadlineUntil(ctx.now().toISOString().slice(0, 10));
  const deadlines = (await readDeadlines(ctx, sql`p.id = ${id}`)).map((d) => {
    const { dates, note } = datesOfDeadline(d, until);
    return {
      id: d.id,
      phrase: d.phrase,
      kind: deadlineKindOf(d),
      offset: d.offset,
      recurrence: d.recurrence,
      anchor: d.anchor,
      anchorDate: d.anchorDate,
      dates,
      note,
    };
  });
  const ratings = ctx.scope.kind === "public" ? [] : await readRatings(ctx, id, row.matter.id);
  // Retired provisions have no deadlines in force, but their history is theirs.
  return {
    ...presentProvisionListItem(row),
    document: extra?.document ?? null,
    classifierTopics: presentClassifierTopics(row),
    deadlines,
    // Compliance is not part of public reading: anonymous visitors never see ratings or rationales.
    ratings,
    ratingPeriods: ratingPeriodsOf(ratings),
    version: extra?.version ?? row.version,
    createdAt: extra?.createdAt ?? "",
    updatedAt: extra?.updatedAt ?? "",
  };
}

/** A provision's citable reference: its paragraph number ("12") or its label ("¶ 12", "III.A.1.a(i)"). */
export async function resolveProvisionRef(ctx: ReadContext, matterKey: string, ref: string): Promise<string> {
  const matter = await getMatterRef(ctx, matterKey);
  const trimmed = ref.trim();
  const byNumber = /^\d{1,6}$/.test(trimmed);
  const row = await queryOne<{ id: string }>(
    ctx.db,
    byNumber
      ? sql`select id from provisions where matter_id = ${matter.id} and number = ${Number(trimmed)} and retired_at is null`
      : sql`select id from provisions where matter_id = ${matter.id} and label = ${trimmed.replace(/^¶\s*/, "¶ ")}
          and retired_at is null`,
  );
  if (!row)
    throw appError("not_found", `${matter.title} has no current ${byNumber ? `¶ ${trimmed}` : trimmed}`);
  return row.id;
}
