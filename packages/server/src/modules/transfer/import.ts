import { randomUUID } from "node:crypto";
import {
  type AuditAction,
  type Bundle,
  BundleSchema,
  canonicalBundle,
  isStatusAllowed,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError, type FieldError, issuesToFieldErrors } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import { bumpDataVersion } from "../../db/data-version.js";
import type { Tx } from "../../db/open.js";
import { queryRows } from "../../db/sql.js";
import { refreshMatterSearch, vacuumStatusSpans } from "../matters/index.js";

type Counted = "jurisdictions" | "agencies" | "matters" | "events" | "awards" | "conditions" | "programFacts";

export interface ImportSummary {
  created: Record<Counted, number>;
  updated: Record<Counted, number>;
  unchanged: number;
}

const zeroCounts = (): Record<Counted, number> => ({
  jurisdictions: 0,
  agencies: 0,
  matters: 0,
  events: 0,
  awards: 0,
  conditions: 0,
  programFacts: 0,
});

const BATCH = 500;

const invalid = (detail: string, errors: FieldError[]) => appError("import_invalid", detail, { errors });

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
  bundle.conditions.forEach((c, i) => {
    c.history.forEach((h, k) => {
      const prior = c.history[k - 1];
      if (prior && prior.date > h.date)
        errors.push({
          path: `conditions.${i}.history.${k}.date`,
          message: "A condition's history runs oldest first: this change is dated before the one above it",
        });
    });
  });
  for (const [name, items] of Object.entries({
    jurisdictions: bundle.jurisdictions,
    agencies: bundle.agencies,
    matters: bundle.matters,
    events: bundle.events,
    awards: bundle.awards,
    conditions: bundle.conditions,
    programFacts: bundle.programFacts,
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

type EntityName = "jurisdiction" | "agency" | "matter" | "event" | "award" | "condition" | "program_fact";
const PLURAL: Record<EntityName, Counted> = {
  jurisdiction: "jurisdictions",
  agency: "agencies",
  matter: "matters",
  event: "events",
  award: "awards",
  condition: "conditions",
  program_fact: "programFacts",
};

/** How one table's columns are read from a staged document `s.doc`. */
interface TableSpec {
  entity: EntityName;
  table: string;
  columns: [column: string, expression: string][];
}

const text = (key: string) => `s.doc->>'${key}'`;
const int = (key: string) => `(s.doc->>'${key}')::integer`;

const SPECS: Record<EntityName, TableSpec> = {
  jurisdiction: {
    entity: "jurisdiction",
    table: "jurisdictions",
    columns: [
      ["slug", text("slug")],
      ["name", text("name")],
      ["kind", text("kind")],
      ["state_code", text("stateCode")],
      ["fips", text("fips")],
      ["population", int("population")],
      ["population_year", int("populationYear")],
      ["sources", "s.doc->'sources'"],
    ],
  },
  agency: {
    entity: "agency",
    table: "agencies",
    columns: [
      ["slug", text("slug")],
      ["name", text("name")],
      ["kind", text("kind")],
      ["jurisdiction_id", "(select x.id from jurisdictions x where x.slug = s.doc->>'jurisdiction')"],
      ["sources", "s.doc->'sources'"],
    ],
  },
  matter: {
    entity: "matter",
    table: "matters",
    columns: [
      ["slug", text("slug")],
      ["kind", text("kind")],
      ["status", text("status")],
      ["title", text("title")],
      ["summary", text("summary")],
      ["jurisdiction_id", "(select x.id from jurisdictions x where x.slug = s.doc->>'jurisdiction')"],
      ["authority", text("authority")],
      ["court", text("court")],
      ["case_number", text("caseNumber")],
      ["judge", text("judge")],
      ["monitor", text("monitor")],
      ["opened_on", text("openedOn")],
      ["findings_on", text("findingsOn")],
      ["agreement_on", text("agreementOn")],
      ["entered_on", text("enteredOn")],
      ["ended_on", text("endedOn")],
      ["status_note", text("statusNote")],
      ["sources", "s.doc->'sources'"],
      ["public", "(s.doc->>'public')::boolean"],
      ["inferred", "s.doc->'inferred'"],
      ["disagreements", "s.doc->'disagreements'"],
    ],
  },
  event: {
    entity: "event",
    table: "events",
    columns: [
      ["slug", text("slug")],
      ["matter_id", "(select x.id from matters x where x.slug = s.doc->>'matter')"],
      ["jurisdiction_id", "(select x.id from jurisdictions x where x.slug = s.doc->>'jurisdiction')"],
      ["kind", text("kind")],
      ["date", text("date")],
      ["time", text("time")],
      ["status", text("status")],
      ["new_date", text("newDate")],
      ["title", text("title")],
      ["description", text("description")],
      ["actor", text("actor")],
      ["outcome", text("outcome")],
      ["favors", text("favors")],
      ["sources", "s.doc->'sources'"],
      ["public", "(s.doc->>'public')::boolean"],
    ],
  },
  award: {
    entity: "award",
    table: "awards",
    columns: [
      ["slug", text("slug")],
      ["program", text("program")],
      ["program_name", text("programName")],
      ["fiscal_year", int("fiscalYear")],
      ["amount", "(s.doc->>'amount')::numeric"],
      ["amount_meaning", text("amountMeaning")],
      ["amount_note", text("amountNote")],
      ["award_number", text("awardNumber")],
      ["jurisdiction_id", "(select x.id from jurisdictions x where x.slug = s.doc->>'jurisdiction')"],
      ["agency_id", "(select x.id from agencies x where x.slug = s.doc->>'agency')"],
      ["recipient_name", text("recipientName")],
      ["notes", text("notes")],
      ["sources", "s.doc->'sources'"],
      ["public", "(s.doc->>'public')::boolean"],
    ],
  },
  condition: {
    entity: "condition",
    table: "conditions",
    columns: [
      ["slug", text("slug")],
      ["award_id", "(select x.id from awards x where x.slug = s.doc->>'award')"],
      ["jurisdiction_id", "(select x.id from jurisdictions x where x.slug = s.doc->>'jurisdiction')"],
      ["program", text("program")],
      ["fiscal_year", int("fiscalYear")],
      ["kind", text("kind")],
      ["text", text("text")],
      // The current status is the latest change of the history.
      ["status", "s.doc->'history'->-1->>'status'"],
      ["status_on", "s.doc->'history'->-1->>'date'"],
      ["public", "(s.doc->>'public')::boolean"],
    ],
  },
  program_fact: {
    entity: "program_fact",
    table: "program_facts",
    columns: [
      ["slug", text("slug")],
      ["program", text("program")],
      ["date", text("date")],
      ["fiscal_year", int("fiscalYear")],
      ["metric", text("metric")],
      ["value", "(s.doc->>'value')::double precision"],
      ["unit", text("unit")],
      ["description", text("description")],
      ["sources", "s.doc->'sources'"],
    ],
  },
};

const ACTIONS: Record<EntityName, [created: AuditAction, updated: AuditAction]> = {
  jurisdiction: ["JURISDICTION_IMPORTED", "JURISDICTION_REIMPORTED"],
  agency: ["AGENCY_IMPORTED", "AGENCY_REIMPORTED"],
  matter: ["MATTER_IMPORTED", "MATTER_REIMPORTED"],
  event: ["EVENT_IMPORTED", "EVENT_REIMPORTED"],
  award: ["AWARD_IMPORTED", "AWARD_REIMPORTED"],
  condition: ["CONDITION_IMPORTED", "CONDITION_REIMPORTED"],
  program_fact: ["PROGRAM_FACT_IMPORTED", "PROGRAM_FACT_REIMPORTED"],
};

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The audit record of an imported row, with the API's field names (jurisdictionId, openedOn…). */
const auditDoc = (table: string, columns: string[]) =>
  `jsonb_build_object(${columns.map((c) => `'${camel(c)}', ${table}.${c}`).join(", ")})`;

/** The references of staged documents that point at nothing, named by record and field. */
async function unresolved(tx: Tx, query: SQL): Promise<FieldError[]> {
  const rows = await queryRows<{ path: string; message: string }>(tx, query);
  return rows.map((r) => ({ path: r.path, message: r.message }));
}

/**
 * Inserts new rows and updates changed ones (matched by slug) from the staged documents, with
 * their audit entries (what each changed row was before, and what it is after), in one
 * statement. An unchanged row is not touched: its version stays.
 */
async function publish(
  tx: Tx,
  importId: string,
  spec: TableSpec,
  ctx: Omit<CommandContext, "db">,
): Promise<{ id: string; inserted: boolean }[]> {
  const cols = spec.columns.map(([c]) => c);
  const exprs = spec.columns.map(([, e]) => e).join(", ");
  const changed = cols.filter((c) => c !== "slug");
  const [createdAction, updatedAction] = ACTIONS[spec.entity];
  const t = spec.table;
  return queryRows<{ id: string; inserted: boolean }>(
    tx,
    sql`with old as (
          select ${sql.raw(t)}.id, ${sql.raw(auditDoc(t, ["id", ...cols]))} as doc from ${sql.raw(t)}
          where slug in (select s.slug from import_staging s where s.import_id = ${importId} and s.entity = ${spec.entity})
        ),
        up as (
          insert into ${sql.raw(t)} (${sql.raw(cols.join(", "))})
          select ${sql.raw(exprs)} from import_staging s
          where s.import_id = ${importId} and s.entity = ${spec.entity} order by s.seq
          on conflict (slug) do update set ${sql.raw(
            [
              ...changed.map((c) => `${c} = excluded.${c}`),
              `version = ${t}.version + 1`,
              "updated_at = now()",
            ].join(", "),
          )}
          where (${sql.raw(changed.map((c) => `${t}.${c}`).join(", "))}) is distinct from (${sql.raw(changed.map((c) => `excluded.${c}`).join(", "))})
          returning id, (xmax = 0) as inserted, ${sql.raw(auditDoc(t, ["id", ...cols]))} as doc
        ),
        audit as (
          insert into audit_entries (actor, actor_id, actor_role, address, action, entity, entity_id, before, after, request_id)
          select ${ctx.actor}, ${ctx.actorId ?? null}::uuid, ${ctx.actorRole ?? null}, ${ctx.address ?? null}, case when up.inserted then ${createdAction} else ${updatedAction} end, ${spec.entity},
            up.id, old.doc, up.doc, ${ctx.requestId}
          from up left join old on old.id = up.id
          returning 1
        )
        select id, inserted from up`,
  );
}

const asIds = (ids: readonly string[]) =>
  sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * Loads a bundle. Records are matched by slug: new ones are created, changed ones updated (their
 * version goes up), identical ones left alone, so importing the same file twice changes nothing.
 *
 * The documents are first staged in small batches, each its own short statement, so that other
 * requests are served meanwhile (PGlite runs one query at a time); then everything is published
 * in one transaction: any error, in any record, rolls the whole import back.
 */
export async function importBundle(
  bundle: Bundle,
  ctx: CommandContext,
  /** Told each kind of record as it is written, inside the transaction (before the commit). */
  onProgress?: (message: string) => void,
): Promise<ImportSummary> {
  const importId = randomUUID();
  // Documents in the bundle's one written form, so that comparing with stored rows is exact.
  const canonical = canonicalBundle(bundle, { sortRecords: false });
  const staged: [EntityName, unknown[]][] = [
    ["jurisdiction", canonical.jurisdictions],
    ["agency", canonical.agencies],
    ["matter", canonical.matters],
    ["event", canonical.events],
    ["award", canonical.awards],
    ["condition", canonical.conditions],
    ["program_fact", canonical.programFacts],
  ];
  try {
    for (const [entity, docs] of staged) {
      for (let offset = 0; offset < docs.length; offset += BATCH) {
        const batch = JSON.stringify(docs.slice(offset, offset + BATCH));
        await ctx.db.execute(
          sql`insert into import_staging (import_id, entity, seq, slug, doc)
              select ${importId}, ${entity}, (x.ord - 1 + ${offset})::integer, x.doc->>'slug', x.doc
              from jsonb_array_elements(${batch}::jsonb) with ordinality as x(doc, ord)`,
        );
        // Let waiting requests run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const summary = await ctx.db.transaction((tx) => publishAll(tx, importId, ctx, onProgress));
    await analyzeTables(ctx.db);
    return summary;
  } finally {
    await ctx.db.execute(sql`delete from import_staging where import_id = ${importId}`);
  }
}

async function publishAll(
  tx: Tx,
  importId: string,
  ctx: CommandContext,
  onProgress: ((message: string) => void) | undefined,
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: zeroCounts(), updated: zeroCounts(), unchanged: 0 };
  const totals = await queryRows<{ entity: EntityName; n: number }>(
    tx,
    sql`select entity, count(*)::int as n from import_staging where import_id = ${importId} group by entity`,
  );
  const tally = (entity: EntityName, rows: { inserted: boolean }[]) => {
    for (const r of rows) summary[r.inserted ? "created" : "updated"][PLURAL[entity]]++;
    if (rows.length) onProgress?.(`Wrote ${rows.length} ${PLURAL[entity]} (not committed yet)`);
  };
  const fail = (errors: FieldError[]) => {
    if (errors.length) {
      throw invalid(
        `The import file is invalid at ${errors[0]!.path}: ${errors[0]!.message}; nothing was imported`,
        errors,
      );
    }
  };
  const missingRef = (entity: EntityName, field: string, table: string, what: string) =>
    sql`select concat(${`${PLURAL[entity]}.`}::text, s.seq, ${`.${field}`}::text) as path,
          concat('No ', ${what}::text, ' has the slug "', s.doc->>${field}::text, '"') as message
        from import_staging s where s.import_id = ${importId} and s.entity = ${entity}
          and s.doc->>${field}::text is not null
          and not exists (select 1 from ${sql.raw(table)} x where x.slug = s.doc->>${field}::text)
        order by s.seq limit 20`;
  const missingInList = (
    field: string,
    table: string,
    what: string,
    slugOf: string,
    entity: EntityName = "matter",
  ) =>
    sql`select concat(${`${PLURAL[entity]}.`}::text, s.seq, ${`.${field}.`}::text, e.ord - 1, ${field === "related" ? ".slug" : ""}::text) as path,
          concat('No ', ${what}::text, ' has the slug "', ${sql.raw(slugOf)}, '"') as message
        from import_staging s, jsonb_array_elements(s.doc->${field}::text) with ordinality as e(value, ord)
        where s.import_id = ${importId} and s.entity = ${entity}
          and not exists (select 1 from ${sql.raw(table)} x where x.slug = ${sql.raw(slugOf)})
        order by s.seq, e.ord limit 20`;

  const jurisdictions = await publish(tx, importId, SPECS.jurisdiction, ctx);
  tally("jurisdiction", jurisdictions);

  fail(await unresolved(tx, missingRef("agency", "jurisdiction", "jurisdictions", "jurisdiction")));
  const agencies = await publish(tx, importId, SPECS.agency, ctx);
  tally("agency", agencies);

  fail([
    ...(await unresolved(tx, missingRef("matter", "jurisdiction", "jurisdictions", "jurisdiction"))),
    ...(await unresolved(tx, missingInList("agencies", "agencies", "agency", "e.value #>> '{}'"))),
  ]);
  const matters = await publish(tx, importId, SPECS.matter, ctx);
  tally("matter", matters);
  fail(await unresolved(tx, missingInList("related", "matters", "matter", "e.value->>'slug'")));
  const selfRelated = await queryRows<{ seq: number }>(
    tx,
    sql`select s.seq from import_staging s, jsonb_array_elements(s.doc->'related') e
        where s.import_id = ${importId} and s.entity = 'matter' and e->>'slug' = s.doc->>'slug' limit 1`,
  );
  fail(
    selfRelated.map((r) => ({
      path: `matters.${r.seq}.related`,
      message: "A matter cannot be related to itself",
    })),
  );

  // Agencies and related matters of each staged matter: replaced where they differ.
  const wanted = sql`select m.id, s.doc from import_staging s join matters m on m.slug = s.slug
                     where s.import_id = ${importId} and s.entity = 'matter'`;
  const linksChanged = await queryRows<{ id: string }>(
    tx,
    sql`select w.id from (${wanted}) w
        where w.doc->'agencies' <> coalesce((select jsonb_agg(a.slug order by ma.position) from matter_agencies ma
                join agencies a on a.id = ma.agency_id where ma.matter_id = w.id), '[]'::jsonb)
           or w.doc->'related' <> coalesce((select jsonb_agg(jsonb_build_object('slug', o.slug, 'relation', r.relation) order by o.slug collate "C")
                from matter_relations r join matters o on o.id = r.to_matter_id where r.from_matter_id = w.id), '[]'::jsonb)`,
  );
  const relinked = linksChanged.map((r) => r.id);
  if (relinked.length) {
    // What the links were, for the audit entries of matters whose links alone change.
    const linksOf = (id: string) =>
      sql`jsonb_build_object(
          'agencies', coalesce((select jsonb_agg(a.slug order by ma.position) from matter_agencies ma
            join agencies a on a.id = ma.agency_id where ma.matter_id = ${sql.raw(id)}), '[]'::jsonb),
          'related', coalesce((select jsonb_agg(jsonb_build_object('slug', o.slug, 'relation', r.relation) order by o.slug collate "C")
            from matter_relations r join matters o on o.id = r.to_matter_id where r.from_matter_id = ${sql.raw(id)}), '[]'::jsonb))`;
    const linksBefore = await queryRows<{ id: string; doc: unknown }>(
      tx,
      sql`select m.id, ${linksOf("m.id")} as doc from matters m where m.id in ${asIds(relinked)}`,
    );
    await tx.execute(sql`delete from matter_agencies where matter_id in ${asIds(relinked)}`);
    await tx.execute(sql`delete from matter_relations where from_matter_id in ${asIds(relinked)}`);
    await tx.execute(
      sql`insert into matter_agencies (matter_id, agency_id, position)
          select w.id, a.id, (e.ord - 1)::integer from (${wanted}) w,
            jsonb_array_elements_text(w.doc->'agencies') with ordinality as e(slug, ord)
            join agencies a on a.slug = e.slug
          where w.id in ${asIds(relinked)}`,
    );
    await tx.execute(
      sql`insert into matter_relations (from_matter_id, to_matter_id, relation)
          select w.id, o.id, e.value->>'relation' from (${wanted}) w,
            jsonb_array_elements(w.doc->'related') as e(value)
            join matters o on o.slug = e.value->>'slug'
          where w.id in ${asIds(relinked)}`,
    );
    // A matter whose agencies or relations alone changed is a changed matter too.
    const fieldsChanged = new Set(matters.map((m) => m.id));
    const onlyLinks = relinked.filter((id) => !fieldsChanged.has(id));
    if (onlyLinks.length) {
      await tx.execute(
        sql`update matters set version = version + 1, updated_at = now() where id in ${asIds(onlyLinks)}`,
      );
      await tx.execute(
        sql`insert into audit_entries (actor, actor_id, actor_role, address, action, entity, entity_id, before, after, request_id)
            select ${ctx.actor}, ${ctx.actorId ?? null}::uuid, ${ctx.actorRole ?? null}, ${ctx.address ?? null}, 'MATTER_REIMPORTED', 'matter', w.id,
              b.doc, ${linksOf("w.id")}, ${ctx.requestId}
            from (${wanted}) w join jsonb_to_recordset(${JSON.stringify(linksBefore)}::jsonb) as b(id uuid, doc jsonb) on b.id = w.id
            where w.id in ${asIds(onlyLinks)}`,
      );
      summary.updated.matters += onlyLinks.length;
    }
  }

  // Search text follows names: of changed matters, and of matters whose jurisdiction or agency was renamed.
  const touched = [...new Set([...matters.map((m) => m.id), ...relinked])];
  const renamedJ = jurisdictions.filter((j) => !j.inserted).map((j) => j.id);
  const renamedA = agencies.filter((a) => !a.inserted).map((a) => a.id);
  if (touched.length || renamedJ.length || renamedA.length) {
    await refreshMatterSearch(
      tx,
      sql`m.id in ${asIds(touched)} or m.jurisdiction_id in ${asIds(renamedJ)}
          or exists (select 1 from matter_agencies x where x.matter_id = m.id and x.agency_id in ${asIds(renamedA)})`,
    );
  }

  fail([
    ...(await unresolved(tx, missingRef("event", "matter", "matters", "matter"))),
    ...(await unresolved(tx, missingRef("event", "jurisdiction", "jurisdictions", "jurisdiction"))),
  ]);
  tally("event", await publish(tx, importId, SPECS.event, ctx));

  fail([
    ...(await unresolved(tx, missingRef("award", "jurisdiction", "jurisdictions", "jurisdiction"))),
    ...(await unresolved(tx, missingRef("award", "agency", "agencies", "agency"))),
    ...(await unresolved(tx, missingInList("matters", "matters", "matter", "e.value #>> '{}'", "award"))),
  ]);
  const awards = await publish(tx, importId, SPECS.award, ctx);
  tally("award", awards);
  await relinkGrantRecords(tx, importId, ctx, "award", awards, summary);

  fail([
    ...(await unresolved(tx, missingRef("condition", "award", "awards", "award"))),
    ...(await unresolved(tx, missingRef("condition", "jurisdiction", "jurisdictions", "jurisdiction"))),
    ...(await unresolved(tx, missingInList("matters", "matters", "matter", "e.value #>> '{}'", "condition"))),
  ]);
  const conditions = await publish(tx, importId, SPECS.condition, ctx);
  tally("condition", conditions);
  await relinkGrantRecords(tx, importId, ctx, "condition", conditions, summary);

  tally("program_fact", await publish(tx, importId, SPECS.program_fact, ctx));

  const all = totals.reduce((n, t) => n + t.n, 0);
  const changed =
    Object.values(summary.created).reduce((a, b) => a + b, 0) +
    Object.values(summary.updated).reduce((a, b) => a + b, 0);
  summary.unchanged = all - changed;
  await tx.execute(sql`delete from import_staging where import_id = ${importId}`);
  if (all !== summary.unchanged) await bumpDataVersion(tx);
  return summary;
}

/** What an award's or a condition's linked matters (and a condition's history) are, as a document. */
const grantLinks = (entity: "award" | "condition", id: string) =>
  entity === "award"
    ? sql.raw(`jsonb_build_object('matters', coalesce((select jsonb_agg(m.slug order by m.slug collate "C")
        from award_matters l join matters m on m.id = l.matter_id where l.award_id = ${id}), '[]'::jsonb))`)
    : sql.raw(`jsonb_build_object('matters', coalesce((select jsonb_agg(m.slug order by m.slug collate "C")
        from condition_matters l join matters m on m.id = l.matter_id where l.condition_id = ${id}), '[]'::jsonb),
        'history', coalesce((select jsonb_agg(jsonb_build_object('status', h.status, 'date', h.date, 'note', h.note,
          'sources', h.sources) order by h.position) from condition_changes h where h.condition_id = ${id}), '[]'::jsonb))`);

/**
 * Replaces the linked matters of staged awards and conditions (and conditions' status histories)
 * where they differ from what is stored. A record whose links alone change is a changed record:
 * its version goes up and the change is audited.
 */
async function relinkGrantRecords(
  tx: Tx,
  importId: string,
  ctx: CommandContext,
  entity: "award" | "condition",
  published: { id: string }[],
  summary: ImportSummary,
): Promise<void> {
  const table = entity === "award" ? "awards" : "conditions";
  const wanted = sql`select r.id, s.doc from import_staging s join ${sql.raw(table)} r on r.slug = s.slug
                     where s.import_id = ${importId} and s.entity = ${entity}`;
  const wantedDoc =
    entity === "award"
      ? sql.raw(`jsonb_build_object('matters', w.doc->'matters')`)
      : sql.raw(`jsonb_build_object('matters', w.doc->'matters', 'history', w.doc->'history')`);
  const differing = await queryRows<{ id: string; before: unknown }>(
    tx,
    sql`select w.id, ${grantLinks(entity, "w.id")} as before from (${wanted}) w
        where ${wantedDoc} <> ${grantLinks(entity, "w.id")}`,
  );
  if (!differing.length) return;
  const ids = differing.map((r) => r.id);
  const link = entity === "award" ? "award_matters" : "condition_matters";
  const key = entity === "award" ? "award_id" : "condition_id";
  await tx.execute(sql`delete from ${sql.raw(link)} where ${sql.raw(key)} in ${asIds(ids)}`);
  await tx.execute(
    sql`insert into ${sql.raw(link)} (${sql.raw(key)}, matter_id)
        select w.id, m.id from (${wanted}) w, jsonb_array_elements_text(w.doc->'matters') as e(slug)
          join matters m on m.slug = e.slug
        where w.id in ${asIds(ids)} on conflict do nothing`,
  );
  if (entity === "condition") {
    await tx.execute(sql`delete from condition_changes where condition_id in ${asIds(ids)}`);
    await tx.execute(
      sql`insert into condition_changes (condition_id, position, status, date, note, sources)
          select w.id, (e.ord - 1)::integer, e.value->>'status', e.value->>'date', e.value->>'note', e.value->'sources'
          from (${wanted}) w, jsonb_array_elements(w.doc->'history') with ordinality as e(value, ord)
          where w.id in ${asIds(ids)}`,
    );
  }
  const fieldsChanged = new Set(published.map((r) => r.id));
  const onlyLinks = differing.filter((r) => !fieldsChanged.has(r.id));
  if (!onlyLinks.length) return;
  const onlyIds = onlyLinks.map((r) => r.id);
  await tx.execute(
    sql`update ${sql.raw(table)} set version = version + 1, updated_at = now() where id in ${asIds(onlyIds)}`,
  );
  await tx.execute(
    sql`insert into audit_entries (actor, actor_id, actor_role, address, action, entity, entity_id, before, after, request_id)
        select ${ctx.actor}, ${ctx.actorId ?? null}::uuid, ${ctx.actorRole ?? null}, ${ctx.address ?? null},
          ${ACTIONS[entity][1]}, ${entity}, b.id, b.before, ${grantLinks(entity, "b.id")}, ${ctx.requestId}
        from jsonb_to_recordset(${JSON.stringify(onlyLinks)}::jsonb) as b(id uuid, before jsonb)`,
  );
  summary.updated[PLURAL[entity]] += onlyLinks.length;
}

/**
 * Refreshes the planner's statistics and the visibility map. PostgreSQL's autovacuum does this by
 * itself in time; PGlite has no autovacuum: without statistics its plans for the list are several
 * times slower, and without the visibility map no scan is index-only (the dashboard's count of
 * events as of a day reads 3,500 table pages instead of 70 index pages on the bench registry, its
 * matters of a day every span's page: see status-spans.ts). Vacuuming pages already vacuumed costs
 * next to nothing. Never inside a transaction (VACUUM cannot run in one).
 */
export async function analyzeTables(db: CommandContext["db"]) {
  await db.execute(
    sql`vacuum (analyze) jurisdictions, agencies, matters, matter_agencies, matter_relations, events, awards, conditions, condition_changes`,
  );
  await vacuumStatusSpans(db);
}
