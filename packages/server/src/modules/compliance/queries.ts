import {
  type AllCompliance,
  addSpan,
  addYears,
  type ComplianceLevel,
  DEFAULT_COMPLIANCE_LEVELS,
  forecastFullCompliance,
  type Grid,
  type MatterCompliance,
  MOVEMENTS,
  movementOf,
  type Period,
  type PeriodFigures,
  type PeriodRef,
  type SustainmentRule,
  sustainmentClock,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, notFound } from "../../context/app-error.js";
import { ALL, inScope, type ReadScope, scopeTables } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";
import { NO_SECTION, SECTION_SQL, TOPICS_SQL } from "./rollups.js";
import { defaultScale, loadScale, presentScale, SCALE_COLUMNS, type Scale } from "./scale.js";
import {
  clocksPack,
  movementPack,
  orNull,
  packed,
  provisionsFingerprint,
  rollupsPack,
  unpack,
} from "./summary.js";

export { loadScale, presentScale, type Scale } from "./scale.js";

export interface MatterRef {
  id: string;
  slug: string;
  title: string;
  /** The day the decree took effect (entered by the court, else signed), when known to the day. */
  effectiveDate: string | null;
}

/** The matter, if the scope lets the caller read it (a monitor: assigned to it); else 404. */
export async function getMatterRef(db: Queryable, key: string, scope: ReadScope = ALL): Promise<MatterRef> {
  const cond = isUuid(key) ? sql`m.id = ${key}` : sql`m.slug = ${key}`;
  const m = await queryOne<MatterRef>(
    db,
    inScope(
      scope,
      sql`select m.id, m.slug, m.title, coalesce(m.entered_on, m.agreement_on) as "effectiveDate" from matters m where ${cond}`,
    ),
  );
  if (!m) throw notFound("matter", key);
  if (m.effectiveDate && m.effectiveDate.length !== 10) m.effectiveDate = null;
  return m;
}

// ---------------------------------------------------------------- periods

const PERIOD_SELECT = sql`select rp.id, rp.matter_id as "matterId", rp.label, rp.starts_on as "startsOn", rp.ends_on as "endsOn",
    case when d.id is null then null else json_build_object('id', d.id, 'title', d.title) end as "reportDocument",
    coalesce((select sum(r.count) from compliance_rollups r
      where r.matter_id = rp.matter_id and r.period_id = rp.id and r.topic = '' and r.section = ''), 0)::int as ratings,
    rp.version, ${isoTime("rp.created_at")} as "createdAt"
  from reporting_periods rp left join documents d on d.id = rp.report_document_id`;

const PERIOD_ORDER = sql`order by rp.ends_on, rp.label`;

export function listPeriods(db: Queryable, matterId: string): Promise<Period[]> {
  return queryRows<Period>(db, sql`${PERIOD_SELECT} where rp.matter_id = ${matterId} ${PERIOD_ORDER}`);
}

const notFoundPeriod = (id: string) => appError("not_found", `No reporting period has the id "${id}"`);

/** A period whose matter the scope allows; `lock` locks its row. */
export async function getPeriod(
  db: Queryable,
  id: string,
  scope: ReadScope = ALL,
  lock = false,
): Promise<Period> {
  if (!isUuid(id)) throw notFoundPeriod(id);
  const p = await queryOne<Period>(
    db,
    inScope(
      scope,
      sql`${PERIOD_SELECT} where rp.id = ${id} and rp.matter_id in (select id from matters)${lock ? sql` for update of rp` : sql``}`,
    ),
  );
  if (!p) throw notFoundPeriod(id);
  return p;
}

/** A period of the matter by id or label (labels ignore case). */
export async function findMatterPeriod(
  db: Queryable,
  matterId: string,
  key: string,
): Promise<Period | undefined> {
  const cond = isUuid(key) ? sql`rp.id = ${key}` : sql`lower(rp.label) = ${key.trim().toLowerCase()}`;
  return queryOne<Period>(db, sql`${PERIOD_SELECT} where rp.matter_id = ${matterId} and ${cond}`);
}

// ---------------------------------------------------------------- the grid

export interface GridQuery {
  period?: string | undefined;
  topic?: string | undefined;
  section?: string | undefined;
}

/** Every current provision of the matter (filtered by topic or section) with its rating for the period. */
export async function getGrid(
  db: Queryable,
  key: string,
  q: GridQuery,
  scope: ReadScope,
  canRate: boolean,
): Promise<Grid> {
  const matter = await getMatterRef(db, key, scope);
  const scale = await loadScale(db, matter.id);
  const periods = await listPeriods(db, matter.id);
  let period: Period | null = periods.at(-1) ?? null;
  if (q.period) {
    const k = q.period.trim().toLowerCase();
    period = periods.find((p) => p.id === q.period || p.label.toLowerCase() === k) ?? null;
    if (!period)
      throw appError("not_found", `This matter has no reporting period "${q.period}"`, {
        errors: [{ path: "period", message: "No such period", allowed: periods.map((p) => p.label) }],
      });
  }
  const filters = [sql`p.matter_id = ${matter.id}`, sql`p.retired_at is null`];
  if (q.topic) filters.push(sql`${TOPICS_SQL("p")} ? ${q.topic}`);
  if (q.section) {
    const s = q.section.trim().toLowerCase();
    filters.push(sql`(lower(p.sections->0->>'number') = ${s} or lower(${SECTION_SQL("p")}) = ${s})`);
  }
  const items = await queryRows<Grid["items"][number]>(
    db,
    sql`select json_build_object('id', p.id, 'number', p.number, 'label', p.label, 'path', p.path,
          'section', ${SECTION_SQL("p")}, 'topics', ${TOPICS_SQL("p")}, 'page', p.page, 'terminatedOn', p.terminated_on) as provision,
        case when a.id is null then null else json_build_object('level', a.level, 'rationale', a.rationale,
          'evidence', a.evidence, 'ratedBy', a.rated_by, 'ratedAt', ${isoTime("a.rated_at")}, 'version', a.version) end as assessment
      from provisions p left join assessments a on a.provision_id = p.id and a.period_id = ${period?.id ?? null}::uuid
      where ${sql.join(filters, sql` and `)}
      order by p.number`,
  );
  for (const item of items) if (item.provision.section === NO_SECTION) item.provision.section = null;
  return {
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    scale: presentScale(scale, canRate),
    periods,
    period,
    items,
    total: items.length,
    abilities: { rate: canRate },
  };
}

// ---------------------------------------------------------------- figures from the roll-ups

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Figures of one period from its counts per level (`counts` in the order of `codes`). */
function figuresOf(counts: number[], levels: readonly (ComplianceLevel | undefined)[]): PeriodFigures {
  let total = 0;
  let rated = 0;
  let weighted = 0;
  let full = 0;
  counts.forEach((n, i) => {
    total += n;
    const l = levels[i];
    if (l?.rated) {
      rated += n;
      weighted += n * (l.normalized ?? 0);
      if (l.full) full += n;
    }
  });
  return {
    total,
    rated,
    counts,
    shares: counts.map((n) => (total ? round(n / total) : 0)),
    score: rated ? round(weighted / rated) : null,
    shareFull: rated ? round(full / rated) : null,
  };
}

// ---------------------------------------------------------------- the matter's compliance

interface ClockRow {
  number: number;
  section: string;
  terminatedOn: string | null;
  terminatedBy: string | null;
  lastBelowOn: string | null;
  runStartedOn: string | null;
  latest: string | null;
  courtStartsOn: string | null;
  courtEvent: string | null;
}

interface EventRef {
  id: string;
  slug: string;
  title: string;
  date: string;
}

/** The part of a matter's view that depends on its data only (not on the day, the reader or the periods asked). */
type StaticView = Pick<
  MatterCompliance,
  "periods" | "levels" | "provisions" | "byPeriod" | "byTopic" | "bySection" | "movement" | "trajectory"
>;

interface Packs {
  scale: Scale | null;
  periods: string | null;
  deadlines: Deadline[] | null;
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
        sql`rp.ends_on, rp.label`,
      )} as periods,
      (select json_agg(json_build_object('id', p.id, 'number', p.number, 'label', p.label, 'phrase', d.phrase, 'offset', d."offset",
          'anchor', d.anchor, 'anchorDate', d.anchor_date) order by p.number, d.position)
        from provision_deadlines d join provisions p on p.id = d.provision_id
        where p.matter_id = ${matterId} and p.retired_at is null and p.terminated_on is null
          and d.recurrence is null) as deadlines,
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

/** Each current provision's section, termination and sustainment state, by paragraph. */
const clocksOf = (packedClocks: string | null | undefined): ClockRow[] =>
  unpack(packedClocks)
    .map(
      (c): ClockRow => ({
        number: Number(c[0]),
        section: [c[1], c[2]].filter(Boolean).join(". ") || NO_SECTION,
        terminatedOn: orNull(c[3]),
        terminatedBy: orNull(c[4]),
        lastBelowOn: orNull(c[5]),
        runStartedOn: orNull(c[6]),
        latest: orNull(c[7]),
        courtStartsOn: orNull(c[8]),
        courtEvent: orNull(c[9]),
      }),
    )
    // Unordered in the database (cheaper), by paragraph here.
    .sort((a, b) => a.number - b.number);

/**
 * The figures per period (overall, by topic, by section) from the roll-ups, the movement between
 * two periods, the trajectory and its forecast.
 */
async function staticViewOf(
  db: Queryable,
  matterId: string,
  packs: Packs | null | undefined,
  summary: { rollups: string | null } | null | undefined,
  clocks: readonly ClockRow[],
  q: { from?: string | undefined; to?: string | undefined },
  useStoredMovement: boolean,
): Promise<StaticView> {
  const scale = packs?.scale ?? defaultScale();
  const periods: PeriodRef[] = unpack(packs?.periods).map(([id, label, endsOn]) => ({
    id: id!,
    label: label!,
    endsOn: endsOn!,
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
    (groups.get(key) ?? periods.map(() => codes.map(() => 0))).map((counts) => figuresOf(counts, levelAt));
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

  const trajectory = byPeriod.map((f, i) => ({
    periodId: periods[i]!.id,
    endsOn: periods[i]!.endsOn,
    shareFull: f.shareFull,
    score: f.score,
  }));
  // Sections keyed as the roll-ups key them, in the decree's order.
  const sectionFirst = new Map<string, number>();
  for (const c of clocks) if (!sectionFirst.has(c.section)) sectionFirst.set(c.section, c.number);
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
  db: Queryable,
  key: string,
  q: { from?: string | undefined; to?: string | undefined },
  scope: ReadScope,
  canRate: boolean,
  today: string,
  /** Count everything afresh, ignoring the summary (tests compare the two). */
  options: { live?: boolean } = {},
): Promise<MatterCompliance> {
  const matter = await getMatterRef(db, key, scope);
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
      ? await queryRows<EventRef>(
          db,
          sql`select id, slug, title, date from events
              where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(eventIds)}::jsonb))`,
        )
      : []
    ).map((e) => [e.id, e]),
  );
  const fullCodes = scale.levels.filter((l) => l.full).map((l) => l.code);

  return {
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    scale: presentScale(scale, canRate),
    ...view,
    sustainment: sustainmentOf(clocks, scale.sustainment, events, today),
    overdueDeadlines: overdueDeadlines(packs?.deadlines ?? [], matter, clocks, fullCodes, today),
  };
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

function sustainmentOf(
  clocks: readonly ClockRow[],
  rule: SustainmentRule | null,
  events: Map<string, EventRef>,
  today: string,
): MatterCompliance["sustainment"] {
  const clocksByStart = new Map<string, MatterCompliance["sustainment"]["clocks"][number]>();
  const withoutClock: number[] = [];
  type Section = MatterCompliance["sustainment"]["sections"][number] & {
    open: number;
    latestEnd: string | null;
  };
  const sections = new Map<string, Section>();
  const decree = {
    provisions: 0,
    withClock: 0,
    sustained: 0,
    terminated: 0,
    earliestEndOn: null as string | null,
  };
  let decreeOpen = 0;
  // Clocks start on a few dates (period ends, court dates): each end date once.
  const ends = new Map<string, string>();
  const endOf = (start: string, years: number) => {
    const known = ends.get(start);
    if (known !== undefined) return known;
    const end = addYears(start, years);
    ends.set(start, end);
    return end;
  };
  for (const c of clocks) {
    const courtOrder = c.courtStartsOn
      ? { startedOn: c.courtStartsOn, orderedOn: events.get(c.courtEvent ?? "")?.date ?? null }
      : null;
    // The two dates kept for the provision stand for its whole history: the last rating below
    // the level and the start of the run after it.
    const history = [
      ...(c.lastBelowOn ? [{ endsOn: c.lastBelowOn, qualifies: false }] : []),
      ...(c.runStartedOn ? [{ endsOn: c.runStartedOn, qualifies: true }] : []),
    ];
    const clock = rule ? sustainmentClock(history, courtOrder) : null;
    const earliestEndOn = clock && rule ? endOf(clock.startedOn, rule.years) : null;
    const sustained = earliestEndOn !== null && earliestEndOn <= today;
    const terminated = c.terminatedOn !== null;
    let s = sections.get(c.section);
    if (!s) {
      s = {
        section: c.section,
        provisions: 0,
        withClock: 0,
        sustained: 0,
        earliestEndOn: null,
        terminated: false,
        terminatedOn: null,
        terminatedBy: null,
        open: 0,
        latestEnd: null,
      };
      sections.set(c.section, s);
    }
    s.provisions++;
    decree.provisions++;
    if (clock) {
      s.withClock++;
      decree.withClock++;
    }
    if (sustained) {
      s.sustained++;
      decree.sustained++;
    }
    if (terminated) {
      decree.terminated++;
      if (!s.terminatedOn || c.terminatedOn! > s.terminatedOn) {
        s.terminatedOn = c.terminatedOn;
        s.terminatedBy = events.get(c.terminatedBy ?? "") ?? null;
      }
    } else {
      // A provision still in force without a clock keeps its section (and the decree) from a date.
      s.open++;
      decreeOpen++;
      s.latestEnd = laterEnd(s.latestEnd, earliestEndOn);
      decree.earliestEndOn = laterEnd(decree.earliestEndOn, earliestEndOn);
    }
    if (clock && earliestEndOn) {
      const k = `${clock.startedOn}|${clock.source === "court_order" ? (c.courtEvent ?? "") : ""}`;
      let group = clocksByStart.get(k);
      if (!group) {
        group = {
          startedOn: clock.startedOn,
          source: clock.source,
          courtOrder: clock.source === "court_order" ? (events.get(c.courtEvent ?? "") ?? null) : null,
          earliestEndOn,
          sustained,
          provisions: [],
        };
        clocksByStart.set(k, group);
      }
      group.provisions.push(c.number);
    } else if (!terminated) withoutClock.push(c.number);
  }
  return {
    rule,
    clocks: [...clocksByStart.values()].sort(
      (a, b) => a.startedOn.localeCompare(b.startedOn) || a.source.localeCompare(b.source),
    ),
    withoutClock,
    sections: [...sections.values()].map(({ open, latestEnd, ...s }) => ({
      ...s,
      terminated: open === 0,
      earliestEndOn: open === 0 || latestEnd === NEVER ? null : latestEnd,
    })),
    decree: {
      ...decree,
      earliestEndOn: decreeOpen === 0 || decree.earliestEndOn === NEVER ? null : decree.earliestEndOn,
    },
  };
}

/** Stands for "no date while a provision has no clock", which no date can be later than. */
const NEVER = "~never";
const laterEnd = (sofar: string | null, next: string | null) =>
  sofar === NEVER || next === null ? NEVER : !sofar || next > sofar ? next : sofar;

/**
 * One-time deadlines whose date has passed while the provision's latest rating is short of full
 * compliance (or it has none). Recurring deadlines are the provisions view's business.
 */
interface Deadline {
  id: string;
  number: number;
  label: string;
  phrase: string;
  offset: { n: number; unit: "day" | "week" | "month" | "year" } | null;
  anchor: { kind: string; date?: string };
  anchorDate: string | null;
}

function overdueDeadlines(
  deadlines: readonly Deadline[],
  matter: MatterRef,
  clocks: readonly ClockRow[],
  fullCodes: readonly string[],
  today: string,
): MatterCompliance["overdueDeadlines"] {
  if (!deadlines.length) return [];
  const byNumber = new Map(clocks.map((c) => [c.number, c]));
  const out: MatterCompliance["overdueDeadlines"] = [];
  for (const d of deadlines) {
    const from =
      d.anchor.kind === "effective_date"
        ? matter.effectiveDate
        : d.anchor.kind === "other"
          ? d.anchorDate
          : null;
    const dueOn =
      d.anchor.kind === "date" && d.anchor.date
        ? d.anchor.date
        : d.offset && from
          ? addSpan(from, d.offset)
          : null;
    const latest = byNumber.get(d.number)?.latest ?? null;
    if (!dueOn || dueOn >= today || (latest && fullCodes.includes(latest))) continue;
    out.push({ id: d.id, number: d.number, label: d.label, phrase: d.phrase, dueOn, level: latest });
    if (out.length >= 500) break;
  }
  return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number - b.number);
}

// ---------------------------------------------------------------- across decrees

/**
 * Every decree's latest rated period on the common scale, and each topic across decrees — from the
 * roll-ups alone (with the small tables of periods, matters and scales), never the ratings. One
 * statement: per matter, its latest period with ratings (probed newest first through the roll-ups'
 * key), then that period's overall and per-topic counts.
 */
export async function getAllCompliance(db: Queryable, scope: ReadScope): Promise<AllCompliance> {
  const row = await queryOne<{
    matters: string | null;
    counts: string | null;
    scales: Record<string, ComplianceLevel[]> | null;
  }>(
    db,
    sql`with ${scopeTables(scope)}latest as materialized (
          select m.id as matter_id, m.slug, m.title, l.id, l.label, l.ends_on
          from matters m cross join lateral (
            select rp.id, rp.label, rp.ends_on from reporting_periods rp
            where rp.matter_id = m.id
              -- A scalar probe (not EXISTS, which the planner turns into a scan of every roll-up).
              and (select true from compliance_rollups r where r.matter_id = rp.matter_id and r.period_id = rp.id limit 1)
            order by rp.ends_on desc, rp.label desc limit 1) l
        )
        select
          ${packed(
            [sql`l.matter_id`, sql`l.slug`, sql`l.title`, sql`l.id`, sql`l.label`, sql`l.ends_on`],
            sql`from latest l`,
            sql`l.title, l.slug`,
          )} as matters,
          ${packed(
            [sql`r.matter_id`, sql`r.level`, sql`r.topic`, sql`r.count`],
            // Through the roll-ups' key, period by period (offset 0 keeps the planner from a scan of them all).
            sql`from latest l cross join lateral (
                  select r.matter_id, r.level, r.topic, r.count from compliance_rollups r
                  where r.matter_id = l.matter_id and r.period_id = l.id and r.section = '' and r.count <> 0
                  offset 0) r`,
          )} as counts,
          (select json_object_agg(s.matter_id, s.levels) from compliance_scales s
            where s.matter_id in (select matter_id from latest)) as scales`,
  );
  const scales = row?.scales ?? {};
  // Counts per matter: overall by level, and per topic by level.
  const overall = new Map<string, Map<string, number>>();
  const byTopic = new Map<string, { matters: Set<string>; rated: number; full: number; weighted: number }>();
  const levelsOf = (matterId: string) => scales[matterId] ?? DEFAULT_COMPLIANCE_LEVELS;
  const levelMaps = new Map<string, Map<string, ComplianceLevel>>();
  const levelOf = (matterId: string, code: string) => {
    let m = levelMaps.get(matterId);
    if (!m) {
      m = new Map(levelsOf(matterId).map((l) => [l.code, l]));
      levelMaps.set(matterId, m);
    }
    return m.get(code);
  };
  for (const [matterId, level, topic, n] of unpack(row?.counts ?? null)) {
    const count = Number(n);
    if (!topic) {
      const counts = overall.get(matterId!) ?? new Map<string, number>();
      counts.set(level!, count);
      overall.set(matterId!, counts);
      continue;
    }
    const l = levelOf(matterId!, level!);
    const t = byTopic.get(topic) ?? { matters: new Set<string>(), rated: 0, full: 0, weighted: 0 };
    t.matters.add(matterId!);
    if (l?.rated) {
      t.rated += count;
      t.weighted += count * (l.normalized ?? 0);
      if (l.full) t.full += count;
    }
    byTopic.set(topic, t);
  }
  return {
    matters: unpack(row?.matters ?? null).map(([matterId, slug, title, periodId, label, endsOn]) => {
      const counts = overall.get(matterId!) ?? new Map<string, number>();
      const levels = levelsOf(matterId!);
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const rated = levels.filter((l) => l.rated);
      const ratedCount = rated.reduce((a, l) => a + (counts.get(l.code) ?? 0), 0);
      const full = rated.filter((l) => l.full).reduce((a, l) => a + (counts.get(l.code) ?? 0), 0);
      const weighted = rated.reduce((a, l) => a + (counts.get(l.code) ?? 0) * (l.normalized ?? 0), 0);
      return {
        matter: { id: matterId!, slug: slug!, title: title! },
        period: { id: periodId!, label: label!, endsOn: endsOn! },
        total,
        rated: ratedCount,
        levels: levels.map((l) => ({
          level: l.code,
          label: l.label,
          normalized: l.normalized,
          full: l.full,
          count: counts.get(l.code) ?? 0,
          share: total ? round((counts.get(l.code) ?? 0) / total) : 0,
        })),
        score: ratedCount ? round(weighted / ratedCount) : null,
        shareFull: ratedCount ? round(full / ratedCount) : null,
      };
    }),
    byTopic: [...byTopic.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([topic, t]) => ({
        topic,
        matters: t.matters.size,
        rated: t.rated,
        full: t.full,
        shareFull: t.rated ? round(t.full / t.rated) : null,
        score: t.rated ? round(t.weighted / t.rated) : null,
      })),
  };
}
