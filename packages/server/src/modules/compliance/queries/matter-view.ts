import {
  type ComplianceLevel,
  deadlineOccurrences,
  forecastFullCompliance,
  type MatterCompliance,
  MOVEMENTS,
  movementOf,
  NO_SECTION,
  type OrderRef,
  overdueDeadlines,
  type PeriodRef,
  type ProvisionClockState,
  periodFiguresOf,
  RATERS,
  sustainmentOf,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import type { Queryable } from "../../../db/open.js";
import { queryOne, queryRows } from "../../../db/sql.js";
import { getMatterRef, readDeadlineStatuses, readDeadlines } from "../../provisions/index.js";
import { periodsOldestFirst } from "../period-order.js";
import { defaultScale, presentScale, SCALE_COLUMNS, type Scale } from "../scale.js";
import {
  COUNTED_SQL,
  clocksPack,
  movementPack,
  orNull,
  packed,
  provisionsFingerprint,
  rollupsPack,
  UNCOUNTED_SQL,
  unpack,
} from "../summary.js";

/** The two periods a matter's movement is between (by id; default: its last two rated ones). */
export interface ComplianceViewQuery {
  from?: string | undefined;
  to?: string | undefined;
}

/** The part of a matter's view that depends on its data only (not on the day, the reader or the periods asked). */
type StaticView = Pick<
  MatterCompliance,
  | "periods"
  | "levels"
  | "provisions"
  | "byPeriod"
  | "byTopic"
  | "bySection"
  | "otherRaters"
  | "movement"
  | "trajectory"
>;

interface Packs {
  scale: Scale | null;
  periods: string | null;
  fresh: boolean | null;
  rollups: string | null;
  clocks: string | null;
  movement: string | null;
  movementFrom: string | null;
  movementTo: string | null;
  /** The static view stored with the summary, and whether nothing it is made from has changed since. */
  view: string | null;
  viewFresh: boolean | null;
}

/**
 * One statement: the scale, the periods, the deadlines and the matter's packed summary, with
 * whether the summary was made from the provisions as they are now, and its stored view with
 * whether the matter's compliance generation still is the one it was made at.
 */
function readPacks(db: Queryable, matterId: string) {
  return queryOne<Packs>(
    db,
    sql`select
      (select row_to_json(x) from (select ${SCALE_COLUMNS} from compliance_scales s where s.matter_id = ${matterId}) x) as scale,
      ${packed(
        [sql`rp.id`, sql`rp.label`, sql`rp.ends_on`],
        sql`from reporting_periods rp where rp.matter_id = ${matterId}`,
        periodsOldestFirst("rp"),
      )} as periods,
      -- A stored view that stands needs neither the provisions' fingerprint (a change to them moves
      -- the generation) nor the roll-ups and movement it was computed from.
      case when v.fresh then true else s.provisions_fingerprint = ${provisionsFingerprint(matterId)} end as fresh,
      case when v.fresh then null else s.rollups end as rollups, s.clocks,
      case when v.fresh then null else s.movement end as movement,
      s.movement_from as "movementFrom", s.movement_to as "movementTo",
      case when v.fresh then s.view end as view, coalesce(v.fresh, false) as "viewFresh"
    from (select 1) as one left join compliance_matter_summaries s on s.matter_id = ${matterId}
      left join lateral (select s.view is not null and s.view_generation =
        (select g.generation from compliance_generations g where g.matter_id = ${matterId}) as fresh) v on true`,
  );
}

/**
 * Each current provision's section, termination and sustainment state, in the decree's order:
 * numbered paragraphs and outline nodes ("III.b") alike. A summary stored before labels were
 * packed has none: its paragraphs are then "¶ N".
 */
const clocksOf = (packedClocks: string | null | undefined): ProvisionClockState[] =>
  unpack(packedClocks)
    .map((c) => {
      const number = c[0] ? Number(c[0]) : null;
      return {
        position: c[11] ? Number(c[11]) : (number ?? 0),
        clock: {
          number,
          label: c[10] || `¶ ${number ?? "?"}`,
          section: [c[1], c[2]].filter(Boolean).join(". ") || NO_SECTION,
          terminatedOn: orNull(c[3]),
          terminatedBy: orNull(c[4]),
          lastBelowOn: orNull(c[5]),
          runStartedOn: orNull(c[6]),
          latest: orNull(c[7]),
          courtStartsOn: orNull(c[8]),
          courtEvent: orNull(c[9]),
        } satisfies ProvisionClockState,
      };
    })
    // Unordered in the database (cheaper), in the decree's order here.
    .sort((a, b) => a.position - b.position)
    .map((c) => c.clock);

/**
 * The figures per period (overall, by topic, by section) from the roll-ups, the movement between
 * two periods, the trajectory and its forecast.
 */
async function staticViewOf(
  db: Queryable,
  matterId: string,
  packs: Packs | null | undefined,
  summary: { rollups: string | null } | null | undefined,
  clocks: readonly ProvisionClockState[],
  q: ComplianceViewQuery,
  useStoredMovement: boolean,
): Promise<StaticView> {
  const scale = packs?.scale ?? defaultScale();
  const periods: PeriodRef[] = unpack(packs?.periods).map(([id, label, endsOn]) => ({
    id: id!,
    label: label!,
    // Packed as "" when no source dates the period.
    endsOn: orNull(endsOn),
  }));
  const rows = unpack(summary?.rollups).map(
    ([periodId, level, topic, section, count]) =>
      [periodId!, level!, topic!, section!, Number(count)] as const,
  );

  // Counts per group and period, as arrays in the order of the scale's levels.
  const codes = scale.levels.map((l) => l.code);
  for (const r of rows) if (!codes.includes(r[1])) codes.push(r[1]);
  const byCode = new Map(scale.levels.map((l) => [l.code, l]));
  const levelAt = codes.map((c) => byCode.get(c));
  const periodIndex = new Map(periods.map((p, i) => [p.id, i]));
  const codeIndex = new Map(codes.map((c, i) => [c, i]));
  const groups = new Map<string, number[][]>();
  for (const [periodId, level, topic, section, count] of rows) {
    const key = topic ? `t${topic}` : section ? `s${section}` : "";
    let series = groups.get(key);
    if (!series) {
      series = periods.map(() => codes.map(() => 0));
      groups.set(key, series);
    }
    const pi = periodIndex.get(periodId);
    if (pi !== undefined) series[pi]![codeIndex.get(level)!]! += count;
  }
  const seriesOf = (key: string) =>
    (groups.get(key) ?? periods.map(() => codes.map(() => 0))).map((counts) =>
      periodFiguresOf(counts, levelAt),
    );
  const byPeriod = seriesOf("");

  // Movement: between the two periods asked for, else the last two with ratings.
  const rated = periods.filter((_, i) => byPeriod[i]!.total > 0);
  const pick = (id: string | undefined, fallback: PeriodRef | undefined) => {
    if (!id) return fallback ?? null;
    const p = periods.find((x) => x.id === id);
    if (!p) throw appError("not_found", `This matter has no reporting period "${id}"`);
    return p;
  };
  const to = pick(q.to, rated.at(-1));
  const from = pick(
    q.from,
    to ? rated.filter((p) => periodIndex.get(p.id)! < periodIndex.get(to.id)!).at(-1) : undefined,
  );
  const stored =
    useStoredMovement && packs!.movementTo === (to?.id ?? null) && packs!.movementFrom === (from?.id ?? null)
      ? packs!.movement
      : undefined;
  const movement = await movementBetween(db, matterId, from, to, byCode, stored);
  const otherRaters = await otherRatersOf(db, matterId, periodIndex);

  const trajectory = byPeriod.map((f, i) => ({
    periodId: periods[i]!.id,
    endsOn: periods[i]!.endsOn,
    shareFull: f.shareFull,
    score: f.score,
  }));
  // Sections keyed as the roll-ups key them, in the decree's order.
  const sectionFirst = new Map<string, number>();
  for (const [i, c] of clocks.entries()) if (!sectionFirst.has(c.section)) sectionFirst.set(c.section, i);
  const keysOf = (prefix: string) =>
    [...groups.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(1));

  return {
    periods,
    levels: codes,
    provisions: clocks.length,
    byPeriod: byPeriod.map((f, i) => ({ periodId: periods[i]!.id, ...f })),
    byTopic: keysOf("t")
      .sort()
      .map((topic) => ({ topic, periods: seriesOf(`t${topic}`) })),
    bySection: keysOf("s")
      .sort(
        (a, b) =>
          (sectionFirst.get(a) ?? Number.MAX_SAFE_INTEGER) -
            (sectionFirst.get(b) ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b),
      )
      .map((section) => ({ section, periods: seriesOf(`s${section}`) })),
    otherRaters,
    movement,
    trajectory: { points: trajectory, forecast: forecastFullCompliance(trajectory) },
  };
}

/**
 * Stores the static part of the matter's view with its summary, marked with the matter's
 * compliance generation as it is now (the caller's transaction has made its changes): reads serve
 * it while the generation stands. Called by refreshMatterSummary, last in every change of ratings.
 */
export async function storeMatterView(tx: Queryable, matterId: string) {
  const packs = await readPacks(tx, matterId);
  if (!packs?.fresh) return;
  const view = await staticViewOf(tx, matterId, packs, packs, clocksOf(packs.clocks), {}, true);
  await tx.execute(
    sql`update compliance_matter_summaries set view = ${JSON.stringify(view)},
          view_generation = (select generation from compliance_generations where matter_id = ${matterId})
        where matter_id = ${matterId}`,
  );
}

/**
 * Everything the compliance view of one matter shows, from summaries kept with every rating: the
 * figures per period (overall, by topic, by section) from the roll-ups, the movement between two
 * periods, the trajectory and its forecast (stored with the summary while nothing changed), then
 * sustainment and termination from each provision's state and overdue deadlines, which depend on
 * the day. It never reads a provision's whole history.
 */
export async function getMatterCompliance(
  ctx: ReadContext,
  key: string,
  q: ComplianceViewQuery,
  canRate: boolean,
  /** Count everything afresh, ignoring the summary (tests compare the two). */
  options: { live?: boolean } = {},
): Promise<MatterCompliance> {
  const { db } = ctx;
  const today = ctx.now().toISOString().slice(0, 10);
  const matter = await getMatterRef(ctx, key);
  const packs = await readPacks(db, matter.id);
  const useSummary = !!packs?.fresh && !options.live;
  // Provisions changed without a refresh (or no summary yet): count afresh, as the summary would.
  const summary = useSummary
    ? packs
    : await queryOne<{ rollups: string | null; clocks: string | null }>(
        db,
        sql`select ${rollupsPack(matter.id)} as rollups, ${clocksPack(matter.id)} as clocks`,
      );
  const scale = packs?.scale ?? defaultScale();
  const clocks = clocksOf(summary?.clocks);
  let view: StaticView;
  if (useSummary && packs?.viewFresh && packs.view && !q.from && !q.to) {
    view = JSON.parse(packs.view) as StaticView;
  } else {
    // Other periods asked of a stored view that stands: its roll-ups were not read with it.
    if (useSummary && packs?.viewFresh) {
      const rest = await queryOne<{ rollups: string | null; movement: string | null }>(
        db,
        sql`select rollups, movement from compliance_matter_summaries where matter_id = ${matter.id}`,
      );
      Object.assign(packs, rest);
    }
    view = await staticViewOf(
      db,
      matter.id,
      packs,
      packs && useSummary ? packs : summary,
      clocks,
      q,
      useSummary,
    );
  }

  // Sustainment, termination and deadlines: one row per current provision; court orders as the reader may see them.
  const eventIds = [
    ...new Set(clocks.flatMap((c) => [c.terminatedBy, c.courtEvent]).filter((x): x is string => !!x)),
  ];
  const events = new Map(
    (eventIds.length
      ? await queryRows<OrderRef>(
          db,
          sql`select id, slug, title, date from events
              where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(eventIds)}::jsonb))`,
        )
      : []
    ).map((e) => [e.id, e]),
  );

  return {
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    scale: presentScale(scale, canRate),
    ...view,
    sustainment: sustainmentOf(clocks, scale.sustainment, events, today),
    overdueDeadlines: overdueDeadlines(
      await overdueOccurrences(ctx, matter.id, today),
      new Map(clocks.map((c) => [c.label, c.latest])),
    ),
  };
}

/** The matter's overdue deadline occurrences, by the one definition the dashboard and calendar use. */
async function overdueOccurrences(ctx: ReadContext, matterId: string, today: string) {
  const rows = await readDeadlines(ctx, sql`p.matter_id = ${matterId}`);
  return deadlineOccurrences(
    rows,
    { overdue: true },
    today,
    false,
    await readDeadlineStatuses(
      ctx,
      rows.map((r) => r.id),
    ),
  );
}

/**
 * The ratings the figures leave out (see COUNTED_SQL): other raters', per period (in the order of
 * the matter's periods) and rater, with how many of them rate a provision the monitor did not rate
 * in that period. Through the partial index of other raters' ratings: a matter rated by its monitor
 * alone reads no rating here.
 */
async function otherRatersOf(
  db: Queryable,
  matterId: string,
  periodIndex: Map<string, number>,
): Promise<MatterCompliance["otherRaters"]> {
  const rows = await queryRows<MatterCompliance["otherRaters"][number]>(
    db,
    sql`select a.period_id as "periodId", a.rater, count(*)::int as ratings,
          count(*) filter (where not exists (select 1 from assessments m where m.provision_id = a.provision_id
            and m.period_id = a.period_id and ${COUNTED_SQL("m")}))::int as "withoutMonitor"
        from provisions p join assessments a on a.provision_id = p.id and ${UNCOUNTED_SQL("a")}
        where p.matter_id = ${matterId} and not p.heading
        group by 1, 2`,
  );
  return rows
    .filter((r) => periodIndex.has(r.periodId))
    .sort(
      (a, b) =>
        periodIndex.get(a.periodId)! - periodIndex.get(b.periodId)! ||
        RATERS.indexOf(a.rater) - RATERS.indexOf(b.rater),
    );
}

/** How the provisions rated in either period moved between them, grouped by the way they moved. */
async function movementBetween(
  db: Queryable,
  matterId: string,
  from: PeriodRef | null,
  to: PeriodRef | null,
  byCode: Map<string, ComplianceLevel>,
  /** The summary's packed movement, when it is of these two periods. */
  stored?: string | null,
): Promise<MatterCompliance["movement"]> {
  const counts = { improved: 0, backslid: 0, unchanged: 0, newlyRated: 0, noLongerRated: 0 };
  if (!to) return { from, to, counts, transitions: [] };
  const packedMovement =
    stored !== undefined
      ? stored
      : (
          await queryOne<{ moved: string | null }>(
            db,
            sql`select ${movementPack(matterId, sql`${from?.id ?? null}::uuid`, sql`${to.id}::uuid`)} as moved`,
          )
        )?.moved;
  const key = {
    improved: "improved",
    backslid: "backslid",
    unchanged: "unchanged",
    newly_rated: "newlyRated",
    no_longer_rated: "noLongerRated",
  } as const;
  const transitions = new Map<string, MatterCompliance["movement"]["transitions"][number]>();
  for (const [fromLevel, toLevel, n, numbers] of unpack(packedMovement)) {
    const f = orNull(fromLevel);
    const t = orNull(toLevel);
    const kind = movementOf(f ? byCode.get(f) : undefined, t ? byCode.get(t) : undefined);
    if (!kind) continue;
    const count = Number(n);
    counts[key[kind]] += count;
    transitions.set(`${f}|${t}`, {
      kind,
      from: f,
      to: t,
      count,
      provisions: numbers ? numbers.split(",").map(Number) : [],
    });
  }
  const order = MOVEMENTS as readonly string[];
  return {
    from,
    to,
    counts,
    transitions: [...transitions.values()].sort(
      (a, b) =>
        order.indexOf(a.kind) - order.indexOf(b.kind) ||
        b.count - a.count ||
        (a.provisions[0] ?? Number.MAX_SAFE_INTEGER) - (b.provisions[0] ?? Number.MAX_SAFE_INTEGER),
    ),
  };
}
