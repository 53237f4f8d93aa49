import { z } from "zod";
import { HttpUrlSchema } from "./provenance.js";

/**
 * Statistics beside the registry: a metric (homicide, robbery, use-of-force counts…) counted for
 * a jurisdiction or an agency over periods of a year or a month, each value with its source.
 */

/** The metrics Accord knows from the start; an import may add others. */
export const BUILTIN_METRICS = [
  { key: "homicide", label: "Homicide", unit: "offences" },
  { key: "rape", label: "Rape", unit: "offences" },
  { key: "robbery", label: "Robbery", unit: "offences" },
  { key: "aggravated_assault", label: "Aggravated assault", unit: "offences" },
  { key: "violent_crime", label: "Violent crime", unit: "offences" },
  { key: "property_crime", label: "Property crime", unit: "offences" },
] as const;

/** A metric's key: lower case, words joined by underscores (use_of_force). */
export const MetricKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "A metric is lower case letters, digits and underscores (use_of_force)");

/** A year (2017) or a month (2017-04). */
export const StatPeriodSchema = z
  .string()
  .regex(/^[0-9]{4}(-(0[1-9]|1[0-2]))?$/, "A period is a year (2017) or a month (2017-04)");
export type StatPeriod = z.infer<typeof StatPeriodSchema>;

export const MetricSchema = z.object({
  key: MetricKeySchema,
  label: z.string(),
  /** What is counted (offences, incidents, complaints…). */
  unit: z.string(),
  /** One of Accord's own metrics (not added by an import). */
  builtin: z.boolean(),
  /** How many values the registry holds of it. */
  values: z.number().int(),
});
export type Metric = z.infer<typeof MetricSchema>;
export const MetricListSchema = z.object({ items: z.array(MetricSchema) });

/** Where a value comes from. */
export const StatSourceSchema = z.object({
  key: z.string(),
  name: z.string(),
  url: z.string().nullable(),
  /** Attribution and licence as the source states them. */
  licence: z.string().nullable(),
});
export type StatSource = z.infer<typeof StatSourceSchema>;

/** The jurisdiction or agency a value counts, or the matter it is about (what its monitoring costs). */
export const StatPlaceSchema = z.object({
  kind: z.enum(["jurisdiction", "agency", "matter"]),
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
});
export type StatPlace = z.infer<typeof StatPlaceSchema>;

/** How much of the period the value covers: a year reported for 7 months is partial. */
export const StatCoverageSchema = z.object({
  /** Months the agency reported (null where the source does not say). */
  monthsReported: z.number().int().nullable(),
  /** Months in the period: 12 for a year, 1 for a month. */
  monthsInPeriod: z.number().int(),
  /** Fewer months reported than the period holds. */
  partial: z.boolean(),
});
export type StatCoverage = z.infer<typeof StatCoverageSchema>;

export const StatPointSchema = z.object({
  metric: MetricKeySchema,
  place: StatPlaceSchema,
  period: StatPeriodSchema,
  value: z.number(),
  unit: z.string(),
  /** Population the source gives for the period, else null. */
  population: z.number().int().nullable(),
  /** Value per 100,000 residents, where the source gives a population; else null. */
  rate: z.number().nullable(),
  coverage: StatCoverageSchema,
  source: StatSourceSchema,
  /** A definitional change or a caveat that applies to this value (the FBI's 2013 rape definition…). */
  note: z.string().nullable(),
});
export type StatPoint = z.infer<typeof StatPointSchema>;

export const SeriesQuerySchema = z.strictObject({
  /** A jurisdiction's id or slug. */
  jurisdiction: z.string().max(200).optional(),
  /** An agency's id or slug. */
  agency: z.string().max(200).optional(),
  /** A matter's id or slug: the figures about the matter itself (what its monitoring costs). */
  matter: z.string().max(200).optional(),
  /** One metric, or several comma-separated. */
  metric: z.string().max(500).optional(),
  /** First period (inclusive): a year keeps its months too. */
  from: StatPeriodSchema.optional(),
  /** Last period (inclusive): a year keeps its months too. */
  to: StatPeriodSchema.optional(),
  /** `100k`: the rate per 100,000 residents is given where a population is known. */
  per: z.enum(["100k"]).optional(),
});
export type SeriesQuery = z.infer<typeof SeriesQuerySchema>;

export const SeriesSchema = z.object({
  items: z.array(StatPointSchema),
  /** What the figures cannot say, shown with them wherever they are shown. */
  caveats: z.array(z.string()),
});
export type Series = z.infer<typeof SeriesSchema>;

/** The caveats shown with every series. */
export const STAT_CAVEATS = [
  "Reported crime counts what agencies recorded and reported; a change in a count is not evidence that an agreement or decree raised or lowered crime.",
  "A missing year or month is a gap: nothing was reported, or the sources hold nothing for it (no city-level figures for 2016-2017 were found).",
  "Figures from different sources (FBI UCR via The Marshall Project to 2015, Real-Time Crime Index from 2018) use different definitions and revision dates.",
];

/** One place named by a source and what it was matched to (null: not matched, its rows not imported). */
export const StatMatchSchema = z.object({
  source: z.string(),
  /** The source's key for the place (an ORI, or the agency's name and state). */
  sourcePlace: z.string(),
  sourceName: z.string(),
  jurisdiction: StatPlaceSchema.nullable(),
  /** How the match was made (by ORI's state and the city's name), or why none was. */
  method: z.string(),
  /** The source's rows for this place. */
  rows: z.number().int(),
});
export type StatMatch = z.infer<typeof StatMatchSchema>;
export const StatMatchListSchema = z.object({ items: z.array(StatMatchSchema) });

export const StatMatchQuerySchema = z.strictObject({
  /** `unmatched` lists only the places no jurisdiction was found for. */
  status: z.enum(["matched", "unmatched"]).optional(),
  source: z.string().max(100).optional(),
});

export const StatImportQuerySchema = z.strictObject({
  /** Where the figures come from, as people should cite it. */
  source: z.string().min(1).max(300).optional(),
  /** The source's address (http or https: it is shown as a link). */
  sourceUrl: HttpUrlSchema.optional(),
});

export const StatImportResultSchema = z.object({
  source: StatSourceSchema,
  /** Values written (a value already held for the metric, place, period and source is replaced). */
  values: z.number().int(),
  /** Metrics the import added to the vocabulary. */
  metricsAdded: z.array(MetricKeySchema),
  places: z.number().int(),
});
export type StatImportResult = z.infer<typeof StatImportResultSchema>;

/** The rate per 100,000 residents, when a population is known. */
export const ratePer100k = (value: number, population: number | null): number | null =>
  population && population > 0 ? (value * 100_000) / population : null;

/** The event kinds a statistics chart marks: the matter's milestones. */
export const STAT_MILESTONE_KINDS = [
  "investigation_opened",
  "findings_issued",
  "agreement_signed",
  "decree_entered",
  "partial_termination",
  "termination",
] as const;

/** One year of one place's metric from one source, as a chart draws it. */
export interface AnnualStat {
  place: StatPlace;
  source: StatSource;
  metric: string;
  year: number;
  /** The year's count: the source's annual figure, or the sum of its months. */
  value: number;
  /** Per 100,000 residents, when the source gave a population. */
  rate: number | null;
  /** Months the figure covers (null: the source does not say). */
  months: number | null;
  /** Whether the year is whole: a partial year is listed but never drawn as a point of the line. */
  complete: boolean;
  /** Summed from monthly values. */
  fromMonths: boolean;
  notes: string[];
}

/**
 * A series by year: annual values as they are, monthly ones summed per year (a year with a month
 * missing is partial). Grouped by place, source and metric, oldest first. Nothing is filled in: a
 * year no value covers is simply absent.
 */
export function annualStats(items: readonly StatPoint[]): AnnualStat[] {
  const groups = new Map<string, AnnualStat>();
  for (const p of items) {
    const year = Number(p.period.slice(0, 4));
    const key = `${p.place.id}|${p.source.key}|${p.metric}|${year}`;
    const monthly = p.period.length === 7;
    const g = groups.get(key);
    const notes = p.note ? [p.note] : [];
    if (!g) {
      groups.set(key, {
        place: p.place,
        source: p.source,
        metric: p.metric,
        year,
        value: p.value,
        rate: monthly ? null : ratePer100k(p.value, p.population),
        months: monthly ? 1 : p.coverage.monthsReported,
        complete: monthly ? false : !p.coverage.partial,
        fromMonths: monthly,
        notes,
      });
    } else {
      g.value += p.value;
      g.months = (g.months ?? 0) + 1;
      for (const n of notes) if (!g.notes.includes(n)) g.notes.push(n);
    }
  }
  const out = [...groups.values()];
  for (const g of out) if (g.fromMonths) g.complete = g.months === 12;
  return out.sort(
    (a, b) =>
      a.place.name.localeCompare(b.place.name) ||
      a.metric.localeCompare(b.metric) ||
      a.year - b.year ||
      a.source.key.localeCompare(b.source.key),
  );
}

/** How fresh and complete one series is: what a reviewer judging "timely and reliable" looks at. */
export const SeriesSummarySchema = z.object({
  place: StatPlaceSchema,
  metric: MetricKeySchema,
  label: z.string(),
  unit: z.string(),
  source: StatSourceSchema,
  /** `year` or `month`: the series' periods. */
  granularity: z.enum(["year", "month"]),
  first: StatPeriodSchema,
  /** The latest period held: how timely the series is. */
  last: StatPeriodSchema,
  /** Periods with a value. */
  values: z.number().int(),
  /** Periods from the first to the last: more than `values` means gaps. */
  periodsInRange: z.number().int(),
  /** Periods with fewer months reported than they hold. */
  partial: z.number().int(),
  /** The periods from the first to the last that hold no value, newest first: nothing to cite. */
  missing: z.array(StatPeriodSchema),
});
export type SeriesSummary = z.infer<typeof SeriesSummarySchema>;
export const SeriesSummaryListSchema = z.object({ items: z.array(SeriesSummarySchema) });
export const SeriesSummaryQuerySchema = z.strictObject({
  /** A matter's id or slug: its jurisdiction's, its agencies' and its own series. */
  matter: z.string().min(1).max(200),
});

/** Periods from `first` to `last` inclusive, both years or both months. */
export function periodsBetween(first: string, last: string): number {
  const [y1, m1] = first.split("-").map(Number) as [number, number | undefined];
  const [y2, m2] = last.split("-").map(Number) as [number, number | undefined];
  return m1 === undefined || m2 === undefined ? y2 - y1 + 1 : (y2 - y1) * 12 + (m2 - m1) + 1;
}

/**
 * Whether a criterion asks about statistics (the 2017 review's "rooted in timely and reliable
 * statistics on crime and criminals"): its title or guidance speaks of statistics. Criteria are
 * data, so the review form recognises the question by its words, not by a code.
 */
export const isStatisticsCriterion = (c: { title: string; guidance?: string | null }) =>
  /\bstatistic/i.test(`${c.title} ${c.guidance ?? ""}`);

/** The periods from `last` back to `first`, newest first (years or months). */
export function periodsDownFrom(last: string, first: string): string[] {
  const out: string[] = [];
  if (last.length === 4) {
    for (let y = Number(last); y >= Number(first); y--) out.push(String(y));
    return out;
  }
  let y = Number(last.slice(0, 4));
  let m = Number(last.slice(5));
  while (`${y}-${String(m).padStart(2, "0")}` >= first) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (--m === 0) {
      m = 12;
      y--;
    }
  }
  return out;
}
