import {
  type Metric,
  ratePer100k,
  type Series,
  type SeriesQuery,
  STAT_CAVEATS,
  type StatMatch,
  type StatPoint,
  toCsv,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError, notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { isUuid, list, queryOne, queryRows } from "../../db/sql.js";

// Statistics are public figures about places: like jurisdictions and agencies, they are not
// narrowed by the read scope.

/** The most places a series compares at once. */
export const MAX_SERIES_PLACES = 5;

const keyIs = (alias: string, key: string) =>
  isUuid(key) ? sql`${sql.raw(alias)}.id = ${key}` : sql`${sql.raw(alias)}.slug = ${key}`;

const splitList = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

async function placeIds(ctx: ReadContext, table: "jurisdictions" | "agencies", keys: string[]) {
  const ids: string[] = [];
  for (const key of keys) {
    const row = await queryOne<{ id: string }>(
      ctx.db,
      sql`select p.id from ${sql.raw(table)} p where ${keyIs("p", key)}`,
    );
    if (!row) throw notFound(table === "jurisdictions" ? "jurisdiction" : "agency", key);
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
  if (!jurisdictions.length && !agencies.length)
    throw appError("validation_failed", "Name a jurisdiction or an agency", {
      errors: [{ path: "jurisdiction", message: "Name a jurisdiction or an agency (id or slug)" }],
    });
  if (jurisdictions.length + agencies.length > MAX_SERIES_PLACES)
    throw appError("validation_failed", `At most ${MAX_SERIES_PLACES} places at once`, {
      errors: [{ path: "jurisdiction", message: `At most ${MAX_SERIES_PLACES} places at once` }],
    });
  const jIds = await placeIds(ctx, "jurisdictions", jurisdictions);
  const aIds = await placeIds(ctx, "agencies", agencies);
  const places: SQL[] = [];
  if (jIds.length)
    places.push(
      sql`v.jurisdiction_id in (${list(jIds)})`,
      sql`v.agency_id in (select id from agencies where jurisdiction_id in (${list(jIds)}))`,
    );
  if (aIds.length) places.push(sql`v.agency_id in (${list(aIds)})`);
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
          else json_build_object('kind', 'agency', 'id', a.id, 'slug', a.slug, 'name', a.name) end as place,
        json_build_object('key', s.key, 'name', s.name, 'url', s.url, 'licence', s.licence) as source
      from stat_values v
        join stat_metrics m on m.key = v.metric
        join stat_sources s on s.id = v.source_id
        left join jurisdictions j on j.id = v.jurisdiction_id
        left join agencies a on a.id = v.agency_id
      where ${sql.join(where, sql` and `)}
      order by coalesce(j.name, a.name), coalesce(j.id, a.id), v.metric, v.period, s.key`,
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
        (select count(*)::int from stat_values v where v.metric = m.key) as values
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
