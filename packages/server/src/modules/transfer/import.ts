import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type Bundle,
  type BundleAgency,
  type BundleEvent,
  type BundleJurisdiction,
  type BundleMatter,
  BundleSchema,
  isStatusAllowed,
  MATTER_CSV_COLUMNS,
  parseCsv,
  type Source,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/open.js";
import { auditEntries } from "../../db/schema.js";
import { list, queryRows } from "../../db/sql.js";
import type { CommandContext } from "../../http/context.js";
import { AppError, type FieldError, issuesToFieldErrors } from "../../http/errors.js";
import { refreshMatterSearch } from "../matters/search-text.js";

export interface ImportSummary {
  created: Record<"jurisdictions" | "agencies" | "matters" | "events", number>;
  updated: Record<"jurisdictions" | "agencies" | "matters" | "events", number>;
  unchanged: number;
}

const BATCH = 500;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const invalid = (detail: string, errors: FieldError[]) =>
  new AppError("import_invalid", 422, detail, { errors });

/** Sources as stored: keys in one order, empty ones left out, so that equal means equal. */
export const normalizeSources = (sources: readonly Source[]): Source[] =>
  sources.map((s) => ({
    citation: s.citation,
    ...(s.url ? { url: s.url } : {}),
    ...(s.note ? { note: s.note } : {}),
  }));

/** Stable JSON for comparing a stored row with an imported one. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v === undefined
        ? null
        : v,
  );
}

/** Parses and validates a bundle (JSON text or object), naming the first failing records and fields. */
export function parseBundle(input: unknown): Bundle {
  const result = BundleSchema.safeParse(input);
  if (!result.success) {
    const errors = issuesToFieldErrors(result.error.issues.slice(0, 20));
    const first = errors[0]!;
    throw invalid(
      `The import file is invalid at ${first.path}: ${first.message}; nothing was imported`,
      errors,
    );
  }
  const bundle = result.data;
  const errors: FieldError[] = [];
  bundle.matters.forEach((m, i) => {
    if (!isStatusAllowed(m.kind, m.status)) {
      errors.push({
        path: `matters.${i}.status`,
        message: `A ${m.kind} cannot have the status "${m.status}"`,
      });
    }
  });
  for (const [name, items] of Object.entries({
    jurisdictions: bundle.jurisdictions,
    agencies: bundle.agencies,
    matters: bundle.matters,
    events: bundle.events,
  })) {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.slug))
        errors.push({ path: `${name}.${i}.slug`, message: `Duplicate slug "${item.slug}"` });
      seen.add(item.slug);
    });
  }
  if (errors.length) {
    throw invalid(
      `The import file is invalid at ${errors[0]!.path}: ${errors[0]!.message}; nothing was imported`,
      errors,
    );
  }
  return bundle;
}

/**
 * Matters as CSV (the columns of MATTER_CSV_COLUMNS; `agencies` separated by ";"), referring to
 * jurisdictions and agencies that already exist. Errors name the CSV row (the header is row 1).
 */
export function parseMattersCsv(text: string): Bundle {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw invalid("The CSV file is empty; nothing was imported", []);
  const names = header.map((h) => h.trim());
  const missing = ["slug", "kind", "status", "title", "jurisdiction"].filter((c) => !names.includes(c));
  if (missing.length) {
    throw invalid(
      `The CSV header lacks ${missing.join(", ")}; nothing was imported`,
      missing.map((c) => ({ path: c, message: "Missing column" })),
    );
  }
  const unknown = names.filter(
    (n) => n && n !== "state" && !(MATTER_CSV_COLUMNS as readonly string[]).includes(n),
  );
  if (unknown.length) {
    throw invalid(
      `The CSV header has unknown columns: ${unknown.join(", ")}; nothing was imported`,
      unknown.map((c) => ({ path: c, message: "Unknown column" })),
    );
  }
  const matters = rows.map((r) => {
    const rec: Record<string, unknown> = {};
    names.forEach((n, i) => {
      if (!n || n === "state") return;
      const v = (r[i] ?? "").trim();
      if (n === "agencies")
        rec[n] = v
          ? v
              .split(";")
              .map((s) => s.trim())
              .filter(Boolean)
          : [];
      else rec[n] = v === "" ? null : v;
    });
    return rec;
  });
  try {
    return parseBundle({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION, matters });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const errors = (e.details.errors ?? []).map((fe) => {
      const m = /^matters\.(\d+)\.?(.*)$/.exec(fe.path);
      return m ? { ...fe, path: `row ${Number(m[1]) + 2}${m[2] ? `, field ${m[2]}` : ""}` } : fe;
    });
    const first = errors[0];
    throw invalid(
      first ? `The CSV file is invalid at ${first.path}: ${first.message}; nothing was imported` : e.message,
      errors,
    );
  }
}

interface Existing {
  id: string;
  slug: string;
  row: string;
  version: number;
}

async function loadExisting(
  tx: Tx,
  table: string,
  columns: SQL,
  slugs: string[],
): Promise<Map<string, Existing>> {
  const map = new Map<string, Existing>();
  for (const part of chunks(slugs, 1000)) {
    const rows = await queryRows<{ id: string; slug: string; version: number; doc: unknown }>(
      tx,
      sql`select t.id, t.slug, t.version, ${columns} as doc from ${sql.raw(table)} t where t.slug in (${list(part)})`,
    );
    for (const r of rows)
      map.set(r.slug, { id: r.id, slug: r.slug, version: r.version, row: canonical(r.doc) });
  }
  return map;
}

async function idsBySlug(tx: Tx, table: string, slugs: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const part of chunks([...new Set(slugs)], 1000)) {
    const rows = await queryRows<{ id: string; slug: string }>(
      tx,
      sql`select id, slug from ${sql.raw(table)} where slug in (${list(part)})`,
    );
    for (const r of rows) map.set(r.slug, r.id);
  }
  return map;
}

/** Columns of each table as the bundle has them (references by slug), for comparison. */
const JURISDICTION_DOC = sql`json_build_object('name', t.name, 'kind', t.kind, 'stateCode', t.state_code, 'fips', t.fips,
  'population', t.population, 'populationYear', t.population_year, 'sources', t.sources)`;
const AGENCY_DOC = sql`json_build_object('name', t.name, 'kind', t.kind, 'sources', t.sources,
  'jurisdiction', (select slug from jurisdictions j where j.id = t.jurisdiction_id))`;
const MATTER_DOC = sql`json_build_object('kind', t.kind, 'status', t.status, 'title', t.title, 'summary', t.summary,
  'authority', t.authority, 'court', t.court, 'caseNumber', t.case_number, 'judge', t.judge, 'monitor', t.monitor,
  'openedOn', t.opened_on, 'findingsOn', t.findings_on, 'agreementOn', t.agreement_on, 'enteredOn', t.entered_on,
  'endedOn', t.ended_on, 'statusNote', t.status_note, 'sources', t.sources,
  'jurisdiction', (select slug from jurisdictions j where j.id = t.jurisdiction_id),
  'agencies', coalesce((select json_agg(a.slug order by ma.position) from matter_agencies ma join agencies a on a.id = ma.agency_id where ma.matter_id = t.id), '[]'::json),
  'related', coalesce((select json_agg(json_build_object('slug', o.slug, 'relation', r.relation) order by o.slug collate "C") from matter_relations r join matters o on o.id = r.to_matter_id where r.from_matter_id = t.id), '[]'::json))`;
const EVENT_DOC = sql`json_build_object('kind', t.kind, 'date', t.date, 'time', t.time, 'status', t.status,
  'newDate', t.new_date, 'title', t.title, 'description', t.description, 'actor', t.actor, 'sources', t.sources,
  'matter', (select slug from matters m where m.id = t.matter_id))`;

const docOf = {
  jurisdiction: (j: BundleJurisdiction) => ({
    name: j.name,
    kind: j.kind,
    stateCode: j.stateCode,
    fips: j.fips,
    population: j.population,
    populationYear: j.populationYear,
    sources: normalizeSources(j.sources),
  }),
  agency: (a: BundleAgency) => ({
    name: a.name,
    kind: a.kind,
    sources: normalizeSources(a.sources),
    jurisdiction: a.jurisdiction,
  }),
  matter: (m: BundleMatter) => ({
    kind: m.kind,
    status: m.status,
    title: m.title,
    summary: m.summary,
    authority: m.authority,
    court: m.court,
    caseNumber: m.caseNumber,
    judge: m.judge,
    monitor: m.monitor,
    openedOn: m.openedOn,
    findingsOn: m.findingsOn,
    agreementOn: m.agreementOn,
    enteredOn: m.enteredOn,
    endedOn: m.endedOn,
    statusNote: m.statusNote,
    sources: normalizeSources(m.sources),
    jurisdiction: m.jurisdiction,
    agencies: [...new Set(m.agencies)],
    related: [...m.related].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)),
  }),
  event: (e: BundleEvent) => ({
    kind: e.kind,
    date: e.date,
    time: e.time,
    status: e.status,
    newDate: e.newDate,
    title: e.title,
    description: e.description,
    actor: e.actor,
    sources: normalizeSources(e.sources),
    matter: e.matter,
  }),
};

/** Inserts or updates rows of one table in batches with one multi-row statement each. */
async function upsertRows(
  tx: Tx,
  table: string,
  columns: string[],
  rows: { id: string | null; values: unknown[] }[],
): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  const jsonColumns = new Set(["sources"]);
  let index = 0;
  for (const part of chunks(rows)) {
    const tuples = part.map(
      (r) =>
        sql`(${r.id ?? sql`gen_random_uuid()`}::uuid, ${sql.join(
          r.values.map((v, i) =>
            jsonColumns.has(columns[i]!) ? sql`${JSON.stringify(v)}::jsonb` : sql`${v}`,
          ),
          sql`, `,
        )})`,
    );
    const cols = sql.raw(["id", ...columns].join(", "));
    const updates = sql.raw(
      [
        ...columns.map((c) => `${c} = excluded.${c}`),
        `version = ${table}.version + 1`,
        "updated_at = now()",
      ].join(", "),
    );
    const returned = await queryRows<{ id: string }>(
      tx,
      sql`insert into ${sql.raw(table)} (${cols}) values ${sql.join(tuples, sql`, `)}
          on conflict (id) do update set ${updates} returning id`,
    );
    for (const r of returned) ids.set(index++, r.id);
  }
  return ids;
}

/**
 * Loads a bundle in one transaction: records are matched by slug; new ones are created, changed
 * ones updated (their version goes up), identical ones left alone, so importing the same file
 * twice changes nothing. Any error rolls the whole import back.
 */
export async function importBundle(bundle: Bundle, ctx: CommandContext): Promise<ImportSummary> {
  return ctx.db.transaction(async (tx) => {
    const summary: ImportSummary = {
      created: { jurisdictions: 0, agencies: 0, matters: 0, events: 0 },
      updated: { jurisdictions: 0, agencies: 0, matters: 0, events: 0 },
      unchanged: 0,
    };
    const audit: (typeof auditEntries.$inferInsert)[] = [];
    const note = (entity: string, action: string, entityId: string, after: unknown) =>
      audit.push({
        actor: ctx.actor,
        action,
        entity,
        entityId,
        after: after as object,
        requestId: ctx.requestId,
      });

    // References must resolve, in this file or in the database.
    const bundleSlugs = {
      jurisdictions: new Set(bundle.jurisdictions.map((j) => j.slug)),
      agencies: new Set(bundle.agencies.map((a) => a.slug)),
      matters: new Set(bundle.matters.map((m) => m.slug)),
    };
    const dbJurisdictions = await idsBySlug(tx, "jurisdictions", [
      ...bundle.agencies.map((a) => a.jurisdiction),
      ...bundle.matters.map((m) => m.jurisdiction),
    ]);
    const dbAgencies = await idsBySlug(
      tx,
      "agencies",
      bundle.matters.flatMap((m) => m.agencies),
    );
    const dbMatters = await idsBySlug(tx, "matters", [
      ...bundle.matters.flatMap((m) => m.related.map((r) => r.slug)),
      ...bundle.events.flatMap((e) => (e.matter ? [e.matter] : [])),
    ]);
    const refErrors: FieldError[] = [];
    const check = (ok: boolean, path: string, what: string, slug: string) => {
      if (!ok) refErrors.push({ path, message: `No ${what} has the slug "${slug}"` });
    };
    bundle.agencies.forEach((a, i) => {
      check(
        bundleSlugs.jurisdictions.has(a.jurisdiction) || dbJurisdictions.has(a.jurisdiction),
        `agencies.${i}.jurisdiction`,
        "jurisdiction",
        a.jurisdiction,
      );
    });
    bundle.matters.forEach((m, i) => {
      check(
        bundleSlugs.jurisdictions.has(m.jurisdiction) || dbJurisdictions.has(m.jurisdiction),
        `matters.${i}.jurisdiction`,
        "jurisdiction",
        m.jurisdiction,
      );
      m.agencies.forEach((a, k) => {
        check(bundleSlugs.agencies.has(a) || dbAgencies.has(a), `matters.${i}.agencies.${k}`, "agency", a);
      });
      m.related.forEach((r, k) => {
        check(
          bundleSlugs.matters.has(r.slug) || dbMatters.has(r.slug),
          `matters.${i}.related.${k}.slug`,
          "matter",
          r.slug,
        );
        if (r.slug === m.slug)
          refErrors.push({
            path: `matters.${i}.related.${k}.slug`,
            message: "A matter cannot be related to itself",
          });
      });
    });
    bundle.events.forEach((e, i) => {
      if (e.matter)
        check(
          bundleSlugs.matters.has(e.matter) || dbMatters.has(e.matter),
          `events.${i}.matter`,
          "matter",
          e.matter,
        );
    });
    if (refErrors.length) {
      throw invalid(
        `The import file is invalid at ${refErrors[0]!.path}: ${refErrors[0]!.message}; nothing was imported`,
        refErrors.slice(0, 20),
      );
    }

    // Jurisdictions.
    const exJ = await loadExisting(tx, "jurisdictions", JURISDICTION_DOC, [...bundleSlugs.jurisdictions]);
    const jRows = bundle.jurisdictions.filter(
      (j) => exJ.get(j.slug)?.row !== canonical(docOf.jurisdiction(j)),
    );
    summary.unchanged += bundle.jurisdictions.length - jRows.length;
    const jIds = await upsertRows(
      tx,
      "jurisdictions",
      ["slug", "name", "kind", "state_code", "fips", "population", "population_year", "sources"],
      jRows.map((j) => ({
        id: exJ.get(j.slug)?.id ?? null,
        values: [
          j.slug,
          j.name,
          j.kind,
          j.stateCode,
          j.fips,
          j.population,
          j.populationYear,
          normalizeSources(j.sources),
        ],
      })),
    );
    jRows.forEach((j, i) => {
      const isNew = !exJ.has(j.slug);
      summary[isNew ? "created" : "updated"].jurisdictions++;
      note(
        "jurisdiction",
        isNew ? "JURISDICTION_IMPORTED" : "JURISDICTION_REIMPORTED",
        jIds.get(i)!,
        docOf.jurisdiction(j),
      );
    });
    const jurisdictionId = await idsBySlug(tx, "jurisdictions", [
      ...dbJurisdictions.keys(),
      ...bundleSlugs.jurisdictions,
    ]);

    // Agencies.
    const exA = await loadExisting(tx, "agencies", AGENCY_DOC, [...bundleSlugs.agencies]);
    const aRows = bundle.agencies.filter((a) => exA.get(a.slug)?.row !== canonical(docOf.agency(a)));
    summary.unchanged += bundle.agencies.length - aRows.length;
    const aIds = await upsertRows(
      tx,
      "agencies",
      ["slug", "name", "kind", "jurisdiction_id", "sources"],
      aRows.map((a) => ({
        id: exA.get(a.slug)?.id ?? null,
        values: [a.slug, a.name, a.kind, jurisdictionId.get(a.jurisdiction), normalizeSources(a.sources)],
      })),
    );
    aRows.forEach((a, i) => {
      const isNew = !exA.has(a.slug);
      summary[isNew ? "created" : "updated"].agencies++;
      note("agency", isNew ? "AGENCY_IMPORTED" : "AGENCY_REIMPORTED", aIds.get(i)!, docOf.agency(a));
    });
    const agencyId = await idsBySlug(tx, "agencies", [...dbAgencies.keys(), ...bundleSlugs.agencies]);

    // Matters: fields first, then agencies and relations once every matter has an id.
    const exM = await loadExisting(tx, "matters", MATTER_DOC, [...bundleSlugs.matters]);
    const mRows = bundle.matters.filter((m) => exM.get(m.slug)?.row !== canonical(docOf.matter(m)));
    summary.unchanged += bundle.matters.length - mRows.length;
    const mIds = await upsertRows(
      tx,
      "matters",
      [
        "slug",
        "kind",
        "status",
        "title",
        "summary",
        "jurisdiction_id",
        "authority",
        "court",
        "case_number",
        "judge",
        "monitor",
        "opened_on",
        "findings_on",
        "agreement_on",
        "entered_on",
        "ended_on",
        "status_note",
        "sources",
      ],
      mRows.map((m) => ({
        id: exM.get(m.slug)?.id ?? null,
        values: [
          m.slug,
          m.kind,
          m.status,
          m.title,
          m.summary,
          jurisdictionId.get(m.jurisdiction),
          m.authority,
          m.court,
          m.caseNumber,
          m.judge,
          m.monitor,
          m.openedOn,
          m.findingsOn,
          m.agreementOn,
          m.enteredOn,
          m.endedOn,
          m.statusNote,
          normalizeSources(m.sources),
        ],
      })),
    );
    const matterId = await idsBySlug(tx, "matters", [...dbMatters.keys(), ...bundleSlugs.matters]);
    const changedIds = mRows.map((_, i) => mIds.get(i)!);
    for (const part of chunks(changedIds, 1000)) {
      await tx.execute(sql`delete from matter_agencies where matter_id in (${list(part)})`);
      await tx.execute(sql`delete from matter_relations where from_matter_id in (${list(part)})`);
    }
    const links = mRows.flatMap((m, i) =>
      [...new Set(m.agencies)].map(
        (a, position) => sql`(${mIds.get(i)!}::uuid, ${agencyId.get(a)!}::uuid, ${position})`,
      ),
    );
    for (const part of chunks(links)) {
      await tx.execute(
        sql`insert into matter_agencies (matter_id, agency_id, position) values ${sql.join(part, sql`, `)}`,
      );
    }
    const relations = mRows.flatMap((m, i) =>
      m.related.map((r) => sql`(${mIds.get(i)!}::uuid, ${matterId.get(r.slug)!}::uuid, ${r.relation})`),
    );
    for (const part of chunks(relations)) {
      await tx.execute(
        sql`insert into matter_relations (from_matter_id, to_matter_id, relation) values ${sql.join(part, sql`, `)}`,
      );
    }
    for (const part of chunks(changedIds, 1000)) await refreshMatterSearch(tx, sql`m.id in (${list(part)})`);
    mRows.forEach((m, i) => {
      const isNew = !exM.has(m.slug);
      summary[isNew ? "created" : "updated"].matters++;
      note("matter", isNew ? "MATTER_IMPORTED" : "MATTER_REIMPORTED", mIds.get(i)!, docOf.matter(m));
    });

    // Events.
    const exE = await loadExisting(
      tx,
      "events",
      EVENT_DOC,
      bundle.events.map((e) => e.slug),
    );
    const eRows = bundle.events.filter((e) => exE.get(e.slug)?.row !== canonical(docOf.event(e)));
    summary.unchanged += bundle.events.length - eRows.length;
    const eIds = await upsertRows(
      tx,
      "events",
      [
        "slug",
        "matter_id",
        "kind",
        "date",
        "time",
        "status",
        "new_date",
        "title",
        "description",
        "actor",
        "sources",
      ],
      eRows.map((e) => ({
        id: exE.get(e.slug)?.id ?? null,
        values: [
          e.slug,
          e.matter ? matterId.get(e.matter) : null,
          e.kind,
          e.date,
          e.time,
          e.status,
          e.newDate,
          e.title,
          e.description,
          e.actor,
          normalizeSources(e.sources),
        ],
      })),
    );
    eRows.forEach((e, i) => {
      const isNew = !exE.has(e.slug);
      summary[isNew ? "created" : "updated"].events++;
      note("event", isNew ? "EVENT_IMPORTED" : "EVENT_REIMPORTED", eIds.get(i)!, docOf.event(e));
    });

    for (const part of chunks(audit)) await tx.insert(auditEntries).values(part);
    return summary;
  });
}
