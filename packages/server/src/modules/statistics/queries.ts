import {
  type Metric,
  periodsBetween,
  periodsDownFrom,
  ratePer100k,
  type Series,
  type SeriesQuery,
  type SeriesSummary,
  STAT_CAVEATS,
  type StatMatch,
  type StatPoint,
  toCsv,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError, notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { isUuid, list, queryOne, queryRows } from "../../db/sql.js";

// Statistics about places are public figures: like jurisdictions and agencies, they are not
// narrowed by the read scope. A figure about a matter (what its monitoring costs) is read only
// where the matter itself may be.

/** The most places a series compares at once. */
export const MAX_SERIES_PLACES = 5;

const keyIs = (alias: string, key: string) =>
  isUuid(key) ? sql`${sql.raw(alias)}.id = ${key}` : sql`${sql.raw(alias)}.slug = ${key}`;

const splitList = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const ENTITY = { jurisdictions: "jurisdiction", agencies: "agency", matters: "matter" } as const;

async function placeIds(ctx: ReadContext, table: keyof typeof ENTITY, keys: string[]) {
  const ids: string[] = [];
  for (const key of keys) {
    const row = await queryOne<{ id: string }>(
      ctx.db,
      inScope(ctx.scope, sql`select p.id from ${sql.raw(table)} p where ${keyIs("p", key)}`),
    );
    if (!row) throw notFound(ENTITY[table], key);
    ids.push(row.id);
  }
  return ids;
}

interface PointRow {
  metric: string;
  period: string;
  value: number;
  unit: string;
  population: number | null;
  monthsReported: number | null;
  note: string | null;
  place: StatPoint["place"];
  source: StatPoint["source"];
}

/**
 * A series: the values of the asked metrics for the asked jurisdictions (with their agencies') or
 * agencies, oldest first, each with its source. Rates only with `per=100k`, where the source gave
 * a population. A period with no value is absent: the caller shows it as a gap.
 */
export async function findSeries(ctx: ReadContext, q: SeriesQuery): Promise<Series> {
  const jurisdictions = splitList(q.jurisdiction);
  const agencies = splitList(q.agency);
  const matters = splitList(q.matter);
  if (!jurisdictions.length && !agencies.length && !matters.length)
    throw appError("validation_failed", "Name a jurisdiction, an agency or a matter", {
      errors: [{ path: "jurisdiction", message: "Name a jurisdiction, an agency or a matter (id or slug)" }],
    });
  if (jurisdictions.length + agencies.length + matters.length > MAX_SERIES_PLACES)
    throw appError("validation_failed", `At most ${MAX_SERIES_PLACES} places at once`, {
      errors: [{ path: "jurisdiction", message: `At most ${MAX_SERIES_PLACES} places at once` }],
    });
  const jIds = await placeIds(ctx, "jurisdictions", jurisdictions);
  const aIds = await placeIds(ctx, "agencies", agencies);
  // The jurisdictions' agencies are looked up first, so that each place test is a plain list on
  // an indexed column and the planner can OR the index scans (a subquery here scanned every value).
  const agencyIds = [...aIds];
  if (jIds.length)
    agencyIds.push(
      ...(
        await queryRows<{ id: string }>(
          ctx.db,
          sql`select id from agencies where jurisdiction_id in (${list(jIds)})`,
        )
      ).map((r) => r.id),
    );
  const places: SQL[] = [];
  if (jIds.length) places.push(sql`v.jurisdiction_id in (${list(jIds)})`);
  if (agencyIds.length) places.push(sql`v.agency_id in (${list([...new Set(agencyIds)])})`);
  const mIds = await placeIds(ctx, "matters", matters);
  if (mIds.length) places.push(sql`v.matter_id in (${list(mIds)})`);
  const where: SQL[] = [sql`(${sql.join(places, sql` or `)})`];
  const metrics = splitList(q.metric);
  if (metrics.length) where.push(sql`v.metric in (${list(metrics)})`);
  // A year bound keeps that year's months too: compare on the bound's own length.
  if (q.from) where.push(sql`left(v.period, ${q.from.length}) >= ${q.from}`);
  if (q.to) where.push(sql`left(v.period, ${q.to.length}) <= ${q.to}`);
  const rows = await queryRows<PointRow>(
    ctx.db,
    sql`select v.metric, v.period, v.value, m.unit, v.population, v.months_reported as "monthsReported", v.note,
        case when v.jurisdiction_id is not null
          then json_build_object('kind', 'jurisdiction', 'id', j.id, 'slug', j.slug, 'name', j.name)
          when v.agency_id is not null
          then json_build_object('kind', 'agency', 'id', a.id, 'slug', a.slug, 'name', a.name)
          else json_build_object('kind', 'matter', 'id', mt.id, 'slug', mt.slug, 'name', mt.title) end as place,
        json_build_object('key', s.key, 'name', s.name, 'url', s.url, 'licence', s.licence) as source
      from stat_values v
        join stat_metrics m on m.key = v.metric
        join stat_sources s on s.id = v.source_id and s.staged_at is null
        left join jurisdictions j on j.id = v.jurisdiction_id
        left join agencies a on a.id = v.agency_id
        left join matters mt on mt.id = v.matter_id
      where ${sql.join(where, sql` and `)}
      order by coalesce(j.name, a.name, mt.title), coalesce(j.id, a.id, mt.id), v.metric, v.period, s.key`,
  );
  return {
    items: rows.map((r) => {
      const monthsInPeriod = r.period.length === 4 ? 12 : 1;
      return {
        metric: r.metric,
        place: r.place,
        period: r.period,
        value: r.value,
        unit: r.unit,
        population: r.population,
        rate: q.per === "100k" ? ratePer100k(r.value, r.population) : null,
        coverage: {
          monthsReported: r.monthsReported,
          monthsInPeriod,
          partial: r.monthsReported !== null && r.monthsReported < monthsInPeriod,
        },
        source: r.source,
        note: r.note,
      };
    }),
    caveats: STAT_CAVEATS,
  };
}

/** The metric vocabulary, Accord's own first, with how many values each has. */
export async function findMetrics(ctx: ReadContext): Promise<Metric[]> {
  return queryRows<Metric>(
    ctx.db,
    sql`select m.key, m.label, m.unit, m.builtin,
        (select count(*)::int from stat_values v
          join stat_sources s on s.id = v.source_id and s.staged_at is null where v.metric = m.key) as values
      from stat_metrics m order by m.builtin desc, m.label`,
  );
}

/** How the bundled sources' places were matched to jurisdictions; `unmatched` lists those that were not. */
export async function findMatches(
  ctx: ReadContext,
  q: { status?: "matched" | "unmatched" | undefined; source?: string | undefined },
): Promise<StatMatch[]> {
  const where: SQL[] = [sql`true`];
  if (q.status === "matched") where.push(sql`pm.jurisdiction_id is not null`);
  if (q.status === "unmatched") where.push(sql`pm.jurisdiction_id is null`);
  if (q.source) where.push(sql`s.key = ${q.source}`);
  return queryRows<StatMatch>(
    ctx.db,
    sql`select s.key as source, pm.source_place as "sourcePlace", pm.source_name as "sourceName",
        case when j.id is null then null
          else json_build_object('kind', 'jurisdiction', 'id', j.id, 'slug', j.slug, 'name', j.name) end as jurisdiction,
        pm.method, pm.rows
      from stat_place_matches pm
        join stat_sources s on s.id = pm.source_id
        left join jurisdictions j on j.id = pm.jurisdiction_id
      where ${sql.join(where, sql` and `)}
      order by s.key, (pm.jurisdiction_id is null) desc, pm.source_name`,
  );
}

/** A series as CSV: one row a value, with its place, source, coverage and note. */
export async function exportSeriesCsv(ctx: ReadContext, q: SeriesQuery): Promise<string> {
  const { items } = await findSeries(ctx, q);
  return toCsv(
    [
      "place",
      "place_slug",
      "metric",
      "period",
      "value",
      "unit",
      "population",
      "rate_per_100k",
      "months_reported",
      "months_in_period",
      "source",
      "source_url",
      "note",
    ],
    items.map((p) => [
      p.place.name,
      p.place.slug,
      p.metric,
      p.period,
      p.value,
      p.unit,
      p.population,
      ratePer100k(p.value, p.population),
      p.coverage.monthsReported,
      p.coverage.monthsInPeriod,
      p.source.name,
      p.source.url,
      p.note,
    ]),
  );
}

/**
 * A matter's series with how fresh and complete each is: its jurisdiction's (with that
 * jurisdiction's agencies'), its agencies' and its own (what its monitoring costs), one line per
 * place, metric, source and granularity. The matter must be one the caller may read.
 */
export async function findMatterSeries(ctx: ReadContext, matterKey: string): Promise<SeriesSummary[]> {
  const [matterId] = await placeIds(ctx, "matters", [matterKey]);
  const rows = await queryRows<Omit<SeriesSummary, "periodsInRange" | "missing"> & { held: string[] }>(
    ctx.db,
    sql`with m as (select id, jurisdiction_id from matters where id = ${matterId}),
        places as (
          select null::uuid as jurisdiction_id, a.agency_id, null::uuid as matter_id
            from matter_agencies a where a.matter_id = ${matterId}
          union select null, ag.id, null from agencies ag where ag.jurisdiction_id = (select jurisdiction_id from m)
          union select (select jurisdiction_id from m), null, null
          union select null, null, ${matterId}::uuid)
      select case when j.id is not null
          then json_build_object('kind', 'jurisdiction', 'id', j.id, 'slug', j.slug, 'name', j.name)
          when a.id is not null
          then json_build_object('kind', 'agency', 'id', a.id, 'slug', a.slug, 'name', a.name)
          else json_build_object('kind', 'matter', 'id', mt.id, 'slug', mt.slug, 'name', mt.title) end as place,
        v.metric, sm.label, sm.unit,
        json_build_object('key', s.key, 'name', s.name, 'url', s.url, 'licence', s.licence) as source,
        case when length(v.period) = 4 then 'year' else 'month' end as granularity,
        min(v.period) as first, max(v.period) as last, count(*)::int as values,
        array_agg(v.period) as held,
        (count(*) filter (where v.months_reported < case when length(v.period) = 4 then 12 else 1 end))::int
          as partial
      from stat_values v
        join places p on p.jurisdiction_id = v.jurisdiction_id or p.agency_id = v.agency_id
          or p.matter_id = v.matter_id
        join stat_metrics sm on sm.key = v.metric
        join stat_sources s on s.id = v.source_id and s.staged_at is null
        left join jurisdictions j on j.id = v.jurisdiction_id
        left join agencies a on a.id = v.agency_id
        left join matters mt on mt.id = v.matter_id
      group by j.id, a.id, mt.id, v.metric, sm.label, sm.unit, s.id, length(v.period)
      order by (mt.id is null), coalesce(j.name, a.name, mt.title), sm.label, max(v.period) desc, s.key`,
  );
  return rows.map(({ held, ...r }) => {
    const periods = new Set(held);
    return {
      ...r,
      periodsInRange: periodsBetween(r.first, r.last),
      missing: periodsDownFrom(r.last, r.first).filter((p) => !periods.has(p)),
    };
  });
}
