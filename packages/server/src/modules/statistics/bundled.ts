import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseCsv, type StatSource } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, systemContext } from "../../context/command-context.js";
import type { Database, Queryable } from "../../db/open.js";
import { settings } from "../../db/schema.js";
import { queryOne, queryRows } from "../../db/sql.js";
import { recordAudit } from "../audit/index.js";
import {
  analyzeStatistics,
  insertMatches,
  insertSource,
  insertValues,
  type NewStatMatch,
  type NewStatValue,
} from "./store.js";

/** The bundled crime statistics beside the dataset: `<bundle dir>/../crime/`. */
export function bundledStatisticsDir(bundlePath: string | null): string | null {
  if (!bundlePath) return null;
  const dir = join(dirname(dirname(bundlePath)), "crime");
  return existsSync(dir) ? dir : null;
}

/** What one bundled file yields: its values (matched places only) and its match table. */
export interface ParsedStatFile {
  values: NewStatValue[];
  matches: NewStatMatch[];
}

/**
 * Cities and counties by lower-case name and state code: the only key a source's place is matched
 * on. States are left out: the sources count local agencies, and "New York, New York" is the city.
 */
export type JurisdictionIndex = Map<string, { id: string; name: string }>;
const placeKey = (name: string, stateCode: string) => `${name.trim().toLowerCase()}|${stateCode}`;

export async function jurisdictionIndex(db: Queryable): Promise<JurisdictionIndex> {
  const rows = await queryRows<{ id: string; name: string; stateCode: string }>(
    db,
    sql`select id, name, state_code as "stateCode" from jurisdictions where kind in ('city', 'county')`,
  );
  return new Map(rows.map((r) => [placeKey(r.name, r.stateCode), { id: r.id, name: r.name }]));
}

const toNumber = (cell: string | undefined): number | null => {
  const s = (cell ?? "").trim();
  if (s === "" || s === "NA") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/** Rows of a CSV as records keyed by its header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ""])));
}

/**
 * Groups rows by the source's place, matches each place once and returns the values of the
 * matched ones. `match` returns the jurisdiction or null with the reason.
 */
function byPlace(
  rows: Record<string, string>[],
  place: (r: Record<string, string>) => { key: string; name: string },
  match: (r: Record<string, string>) => { jurisdiction: { id: string } | null; method: string },
  valuesOf: (r: Record<string, string>, jurisdictionId: string) => NewStatValue[],
): ParsedStatFile {
  const seen = new Map<string, NewStatMatch>();
  const values: NewStatValue[] = [];
  for (const r of rows) {
    const p = place(r);
    let m = seen.get(p.key);
    if (!m) {
      const found = match(r);
      m = {
        sourcePlace: p.key,
        sourceName: p.name,
        jurisdictionId: found.jurisdiction?.id ?? null,
        method: found.method,
        rows: 0,
      };
      seen.set(p.key, m);
    }
    m.rows++;
    if (m.jurisdictionId) values.push(...valuesOf(r, m.jurisdictionId));
  }
  return { values, matches: [...seen.values()] };
}

// ---------------------------------------------------------------- The Marshall Project's UCR file

export const MARSHALL_FILE = "marshallproject_ucr_crime_1975_2015.csv";
export const MARSHALL_SOURCE: StatSource = {
  key: "fbi-ucr-marshall-project",
  name: "FBI Uniform Crime Reports, compiled by The Marshall Project (1975-2015)",
  url: "https://github.com/themarshallproject/city-crime",
  licence:
    "Underlying FBI UCR data is public domain (US); compilation by The Marshall Project - attribute them.",
};

/** Its columns and the metric each counts. */
export const MARSHALL_METRICS = {
  homs_sum: "homicide",
  rape_sum: "rape",
  rob_sum: "robbery",
  agg_ass_sum: "aggravated_assault",
  violent_crime: "violent_crime",
} as const;

/**
 * ORIs begin with the agency's state, in the FBI's own codes: these differ from the postal code
 * (Nebraska is NB in an ORI).
 */
const ORI_STATE_CODES: Record<string, string> = { NB: "NE" };

export const RAPE_DEFINITION_NOTE =
  "From 2013 the FBI counts rape under its revised, broader definition: not comparable with earlier years.";

export function parseMarshall(text: string, index: JurisdictionIndex): ParsedStatFile {
  return byPlace(
    records(text),
    (r) => ({ key: r.ORI ?? "", name: r.department_name ?? "" }),
    (r) => {
      const ori = r.ORI ?? "";
      if (!/^[A-Z]{2}[A-Z0-9]{5}$/.test(ori))
        return { jurisdiction: null, method: "No agency ORI (a total)" };
      const prefix = ori.slice(0, 2);
      const state = ORI_STATE_CODES[prefix] ?? prefix;
      const city = (r.department_name ?? "").split(",")[0]!.trim();
      const found = index.get(placeKey(city, state));
      return found
        ? { jurisdiction: found, method: `ORI state ${state} and name "${city}"` }
        : { jurisdiction: null, method: `No jurisdiction named "${city}" in ${state}` };
    },
    (r, jurisdictionId) => {
      const year = r.year ?? "";
      const population = toNumber(r.total_pop);
      const monthsReported = toNumber(r.months_reported);
      const reportedBy = r.source && r.source !== "NA" ? `Figure reported by ${r.source.trim()}.` : null;
      const out: NewStatValue[] = [];
      for (const [column, metric] of Object.entries(MARSHALL_METRICS)) {
        const value = toNumber(r[column]);
        if (value === null) continue;
        const notes = [metric === "rape" && Number(year) >= 2013 ? RAPE_DEFINITION_NOTE : null, reportedBy];
        out.push({
          metric,
          jurisdictionId,
          agencyId: null,
          period: year,
          value,
          population: population === null ? null : Math.round(population),
          monthsReported,
          note: notes.filter(Boolean).join(" ") || null,
        });
      }
      return out;
    },
  );
}

// ---------------------------------------------------------------- Real-Time Crime Index, monthly

export const RTCI_FILE = "rtci_by_agency_monthly_2018-01_2024-07.csv";
export const RTCI_SOURCE: StatSource = {
  key: "rtci-monthly",
  name: "Real-Time Crime Index, AH Datalytics (monthly, 2018-01 to 2024-07)",
  url: "https://realtimecrimeindex.com",
  licence:
    'No licence file; RTCI describes the data as a public good. Attribute "Real-Time Crime Index, AH Datalytics".',
};

export const RTCI_METRICS = {
  murder: "homicide",
  rape: "rape",
  robbery: "robbery",
  aggravated_assault: "aggravated_assault",
  violent_crime: "violent_crime",
  property_crime: "property_crime",
} as const;

export const RTCI_MURDER_NOTE =
  "RTCI murder counts can differ from city-published homicide tallies (definitions and revision dates).";

export function parseRtci(text: string, index: JurisdictionIndex): ParsedStatFile {
  return byPlace(
    records(text),
    (r) => ({ key: `${r.agency_name}|${r.state_abbr}`, name: r.agency_full ?? "" }),
    (r) => {
      const state = r.state_abbr ?? "";
      if (!/^[A-Z]{2}$/.test(state)) return { jurisdiction: null, method: "Not an agency (an aggregate)" };
      const name = (r.agency_name ?? "").trim();
      const found = index.get(placeKey(name, state));
      return found
        ? { jurisdiction: found, method: `State ${state} and name "${name}"` }
        : { jurisdiction: null, method: `No jurisdiction named "${name}" in ${state}` };
    },
    (r, jurisdictionId) => {
      const out: NewStatValue[] = [];
      for (const [column, metric] of Object.entries(RTCI_METRICS)) {
        const value = toNumber(r[column]);
        // An empty cell is a month the agency did not report: a gap, not a zero.
        if (value === null) continue;
        out.push({
          metric,
          jurisdictionId,
          agencyId: null,
          period: (r.date ?? "").slice(0, 7),
          value,
          population: null,
          monthsReported: 1,
          note: metric === "homicide" ? RTCI_MURDER_NOTE : null,
        });
      }
      return out;
    },
  );
}

// ---------------------------------------------------------------- FiveThirtyEight, murders 2014-2015

export const FIVETHIRTYEIGHT_FILE = "fivethirtyeight_murder_2015_final.csv";
export const FIVETHIRTYEIGHT_SOURCE: StatSource = {
  key: "fivethirtyeight-murders-2015",
  name: "FiveThirtyEight, murders in cities of 250,000+ (2014-2015, FBI UCR)",
  url: "https://github.com/fivethirtyeight/data/tree/master/murder_2016",
  licence: "MIT (© 2014 ESPN Internet Ventures)",
};

/** The state names the file writes, to postal codes ("D.C." as it spells it). */
const STATE_CODES: Record<string, string> = Object.fromEntries(
  (
    "AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|" +
    "DC D.C.|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|" +
    "LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|" +
    "MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|" +
    "NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|" +
    "SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|" +
    "WV West Virginia|WI Wisconsin|WY Wyoming"
  )
    .split("|")
    .map((pair) => [pair.slice(3), pair.slice(0, 2)]),
);

export function parseFiveThirtyEight(text: string, index: JurisdictionIndex): ParsedStatFile {
  return byPlace(
    records(text),
    (r) => ({ key: `${r.city}|${r.state}`, name: `${r.city}, ${r.state}` }),
    (r) => {
      const state = STATE_CODES[(r.state ?? "").trim()];
      const city = (r.city ?? "").trim();
      if (!state) return { jurisdiction: null, method: `Unknown state "${r.state}"` };
      const found = index.get(placeKey(city, state));
      return found
        ? { jurisdiction: found, method: `State ${state} and name "${city}"` }
        : { jurisdiction: null, method: `No jurisdiction named "${city}" in ${state}` };
    },
    (r, jurisdictionId) =>
      (["2014", "2015"] as const).flatMap((year) => {
        const value = toNumber(r[`${year}_murders`]);
        return value === null
          ? []
          : [
              {
                metric: "homicide",
                jurisdictionId,
                agencyId: null,
                period: year,
                value,
                population: null,
                monthsReported: null,
                note: null,
              },
            ];
      }),
  );
}

/** The bundled files, in the order they load. */
export const BUNDLED_STAT_FILES = [
  { file: MARSHALL_FILE, source: MARSHALL_SOURCE, parse: parseMarshall },
  { file: RTCI_FILE, source: RTCI_SOURCE, parse: parseRtci },
  { file: FIVETHIRTYEIGHT_FILE, source: FIVETHIRTYEIGHT_SOURCE, parse: parseFiveThirtyEight },
] as const;

/** Imports one bundled file in one transaction: its source, values, match table and audit entry. */
export async function importStatFile(
  ctx: CommandContext,
  source: StatSource,
  text: string,
  parse: (text: string, index: JurisdictionIndex) => ParsedStatFile,
) {
  const summary = await ctx.db.transaction(async (tx) => {
    const parsed = parse(text, await jurisdictionIndex(tx));
    const sourceId = await insertSource(tx, source);
    await insertValues(tx, sourceId, parsed.values);
    await insertMatches(tx, sourceId, parsed.matches);
    const summary = {
      source: source.key,
      values: parsed.values.length,
      matched: parsed.matches.filter((m) => m.jurisdictionId).length,
      unmatched: parsed.matches.filter((m) => !m.jurisdictionId).length,
    };
    await recordAudit(tx, ctx, {
      action: "STATISTICS_IMPORTED",
      entity: "stat_source",
      entityId: sourceId,
      after: summary,
    });
    return summary;
  });
  await analyzeStatistics(ctx.db);
  return summary;
}

/**
 * On the first start only (after the registry, whose jurisdictions the places are matched to):
 * imports the bundled crime statistics, each file in its own transaction.
 */
export async function loadBundledStatisticsOnce(
  database: Database,
  dir: string | null,
  log: (m: string) => void,
) {
  if (!dir) return;
  const done = await queryOne(database.db, sql`select 1 from settings where key = 'statistics_loaded'`);
  if (done) return;
  const ctx = systemContext(database.db, "system");
  const loaded = [];
  for (const { file, source, parse } of BUNDLED_STAT_FILES) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    if (await queryOne(database.db, sql`select 1 from stat_sources where key = ${source.key}`)) continue;
    loaded.push(await importStatFile(ctx, source, readFileSync(path, "utf8"), parse));
  }
  await database.db
    .insert(settings)
    .values({ key: "statistics_loaded", value: { at: new Date().toISOString(), loaded } })
    .onConflictDoNothing();
  for (const s of loaded)
    log(`Loaded statistics ${s.source}: ${s.values} values, ${s.matched} places matched, ${s.unmatched} not`);
}
