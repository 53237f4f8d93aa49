import {
  CONDITION_KIND_LABELS,
  CONDITION_STATUS_LABELS,
  type ConditionKind,
  type ConditionStatus,
  type Portfolio,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { lastDayOf, queryOne, queryRows } from "../../db/sql.js";
import { getAgency } from "../agencies/index.js";
import { getJurisdiction } from "../jurisdictions/index.js";
import { statusAsOfJoin } from "../matters/index.js";
import { moneyRows } from "./money.js";
import { awardsWhere, conditionsWhere } from "./queries.js";

type PortfolioMatter = Portfolio["matters"][number];
type TimelineItem = Portfolio["events"][number];

/** Matters `m` the scope allows where `where` holds; with `asOf`, those begun by then, with their status then. */
async function portfolioMatters(ctx: ReadContext, where: SQL, asOf?: string): Promise<PortfolioMatter[]> {
  const cols = sql`m.id, m.slug, m.title, m.kind, m.status, m.opened_on as "openedOn",
    m.agreement_on as "agreementOn", m.entered_on as "enteredOn", m.ended_on as "endedOn"`;
  return queryRows<PortfolioMatter>(
    ctx.db,
    inScope(
      ctx.scope,
      asOf
        ? sql`select ${cols}, json_build_object('asOf', ${asOf}::text, 'status', sa.status, 'basis', sa.basis,
              'decidedOn', sa.decided_on) as "statusAsOf"
            from matters m ${statusAsOfJoin(asOf)} where ${where} and sa.begun
            order by m.opened_on nulls last, m.slug`
        : sql`select ${cols} from matters m where ${where} order by m.opened_on nulls last, m.slug`,
    ),
  );
}

/**
 * The merged timeline: events of the place (`placeId`) and of the given matters, and the changes
 * of the given conditions, by date (up to the as-of day: a partial date counts from its last day).
 */
async function timeline(
  ctx: ReadContext,
  placeId: string,
  matterIds: string[],
  conditionIds: string[],
  asOf?: string,
): Promise<TimelineItem[]> {
  const upTo = (col: string) => (asOf ? sql` and ${lastDayOf(col)} <= ${asOf}` : sql``);
  const events = await queryRows<TimelineItem & { matterId: string | null; id: string; slug: string }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select e.id, e.slug, e.date, 'event' as what, e.title, e.kind, e.matter_id as "matterId",
            case when mm.id is null then null
              else json_build_object('slug', mm.slug, 'title', mm.title, 'kind', mm.kind) end as matter,
            case when mm.id is null then json_build_object('type', 'event', 'slug', e.slug, 'id', e.id)
              else json_build_object('type', 'matter', 'slug', mm.slug, 'id', mm.id) end as link,
            e.outcome, e.favors, e.sources
          from events e left join matters mm on mm.id = e.matter_id
          where (e.jurisdiction_id = ${placeId}${
            matterIds.length
              ? sql` or e.matter_id in (${sql.join(
                  matterIds.map((id) => sql`${id}`),
                  sql`, `,
                )})`
              : sql``
          })${upTo("e.date")}`,
    ),
  );
  const changes = conditionIds.length
    ? await queryRows<{
        id: string;
        slug: string;
        kind: ConditionKind;
        status: ConditionStatus;
        date: string;
        note: string | null;
        sources: TimelineItem["sources"];
      }>(
        ctx.db,
        inScope(
          ctx.scope,
          sql`select c.id, c.slug, c.kind, h.status, h.date, h.note, h.sources
              from condition_changes h join conditions c on c.id = h.condition_id
              where c.id in (${sql.join(
                conditionIds.map((id) => sql`${id}`),
                sql`, `,
              )})${upTo("h.date")}`,
        ),
      )
    : [];
  const items: TimelineItem[] = [
    ...events.map(({ matterId: _m, id: _i, slug: _s, ...e }) => e),
    ...changes.map((h) => ({
      date: h.date,
      what: "condition_change" as const,
      title: `${CONDITION_KIND_LABELS[h.kind]}: ${CONDITION_STATUS_LABELS[h.status]}`,
      kind: h.status,
      link: { type: "condition" as const, slug: h.slug, id: h.id },
      matter: null,
      outcome: h.note,
      favors: null,
      sources: h.sources,
    })),
  ];
  return items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.title.localeCompare(b.title)));
}

/** A portfolio's parts with their merged timeline: the place's own events and those of its records. */
async function withTimeline(
  ctx: ReadContext,
  parts: Omit<Portfolio, "asOf" | "events">,
  asOf?: string,
): Promise<Portfolio> {
  const conditionIds = [
    ...parts.grants.flatMap((g) => g.conditions.map((c) => c.id)),
    ...parts.conditions.map((c) => c.id),
  ];
  const matterIds = parts.matters.map((m) => m.id);
  const events = await timeline(ctx, parts.jurisdiction.id, matterIds, conditionIds, asOf);
  return { asOf: asOf ?? null, ...parts, events };
}

/**
 * Whether any award, and any condition, is filed under the place, whoever may read them (a place
 * with some the caller may not read runs the scoped statements, which then find none).
 */
async function placeHoldings(ctx: ReadContext, placeId: string) {
  const row = await queryOne<{ awards: boolean; conditions: boolean }>(
    ctx.db,
    sql`select exists (select 1 from awards a where a.jurisdiction_id = ${placeId}) as awards,
          exists (select 1 from conditions c where c.jurisdiction_id = ${placeId}) as conditions`,
  );
  return row!;
}

/** Everything about one place: its matters, awards and conditions, their timeline, and money. */
export async function jurisdictionPortfolio(
  ctx: ReadContext,
  key: string,
  asOf?: string,
): Promise<Portfolio> {
  const jurisdiction = await getJurisdiction(ctx, key);
  const id = jurisdiction.id;
  const [matters, holds] = await Promise.all([
    portfolioMatters(ctx, sql`m.jurisdiction_id = ${id}`, asOf),
    placeHoldings(ctx, id),
  ]);
  // The awards and money are the place's awards, the conditions its conditions: none filed, none
  // shown, and their three statements are spared (most places have no grant on record).
  const [grants, conditions, money] = await Promise.all([
    holds.awards ? awardsWhere(ctx, sql`a.jurisdiction_id = ${id}`, asOf) : [],
    holds.conditions
      ? conditionsWhere(
          ctx,
          sql`c.jurisdiction_id = ${id} and (c.award_id is null
        or c.award_id not in (select x.id from awards x where x.jurisdiction_id = ${id}))`,
          asOf,
        )
      : [],
    holds.awards ? moneyRows(ctx, sql`a.jurisdiction_id = ${id}`, asOf) : [],
  ]);
  return withTimeline(ctx, { jurisdiction, matters, grants, conditions, money }, asOf);
}

/**
 * One agency's portfolio: its matters (matter_agencies), its awards (agency_id), the conditions on
 * its place's money not attached to an award of another agency (place-wide ones), the timeline of those and of its place's
 * own events (letters to the city concern its police), and the money of its awards.
 */
export async function agencyPortfolio(ctx: ReadContext, key: string, asOf?: string): Promise<Portfolio> {
  const agency = await getAgency(ctx, key);
  const jurisdiction = await getJurisdiction(ctx, agency.jurisdiction.id);
  const placeId = jurisdiction.id;
  const [matters, grants, conditions, money] = await Promise.all([
    portfolioMatters(
      ctx,
      sql`m.id in (select ma.matter_id from matter_agencies ma where ma.agency_id = ${agency.id})`,
      asOf,
    ),
    awardsWhere(ctx, sql`a.agency_id = ${agency.id}`, asOf),
    conditionsWhere(
      ctx,
      sql`c.jurisdiction_id = ${placeId} and (c.award_id is null
        or c.award_id in (select x.id from awards x where x.jurisdiction_id = ${placeId} and x.agency_id is null))`,
      asOf,
    ),
    moneyRows(ctx, sql`a.agency_id = ${agency.id}`, asOf),
  ]);
  return withTimeline(ctx, { jurisdiction, matters, grants, conditions, money }, asOf);
}
