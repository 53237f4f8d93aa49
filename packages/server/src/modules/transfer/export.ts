import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle, canonicalBundle } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { queryRows } from "../../db/sql.js";

/**
 * The whole registry as a bundle, in a fixed order (by slug) with every field present, so
 * that export → import into an empty database → export gives the same bytes. The CLI exports with
 * the system's context (everything); matters and events are read through the context's scope.
 */
export async function exportBundle(ctx: ReadContext): Promise<Bundle> {
  const { db, scope } = ctx;
  const jurisdictions = await queryRows<Bundle["jurisdictions"][number]>(
    db,
    sql`select slug, name, kind, state_code as "stateCode", fips, population, population_year as "populationYear", sources
        from jurisdictions order by slug collate "C"`,
  );
  const agencies = await queryRows<Bundle["agencies"][number]>(
    db,
    sql`select a.slug, a.name, a.kind, j.slug as jurisdiction, a.sources
        from agencies a join jurisdictions j on j.id = a.jurisdiction_id order by a.slug collate "C"`,
  );
  const matters = await queryRows<Bundle["matters"][number]>(
    db,
    inScope(
      scope,
      sql`select m.slug, m.kind, m.status, m.title, m.summary, j.slug as jurisdiction,
          coalesce((select json_agg(a.slug order by ma.position) from matter_agencies ma join agencies a on a.id = ma.agency_id
            where ma.matter_id = m.id), '[]'::json) as agencies,
          m.authority, m.court, m.case_number as "caseNumber", m.judge, m.monitor,
          m.opened_on as "openedOn", m.findings_on as "findingsOn", m.agreement_on as "agreementOn",
          m.entered_on as "enteredOn", m.ended_on as "endedOn", m.status_note as "statusNote", m.sources, m.public,
          m.inferred, m.disagreements,
          coalesce((select json_agg(json_build_object('slug', o.slug, 'relation', r.relation) order by o.slug collate "C")
            from matter_relations r join matters o on o.id = r.to_matter_id where r.from_matter_id = m.id), '[]'::json) as related
        from matters m join jurisdictions j on j.id = m.jurisdiction_id order by m.slug collate "C"`,
    ),
  );
  const events = await queryRows<Bundle["events"][number]>(
    db,
    inScope(
      scope,
      sql`select e.slug, m.slug as matter, j.slug as jurisdiction, e.kind, e.date, e.time, e.status,
          e.new_date as "newDate", e.title, e.description, e.actor, e.outcome, e.favors, e.sources, e.public
        from events e left join matters m on m.id = e.matter_id left join jurisdictions j on j.id = e.jurisdiction_id
        order by e.slug collate "C"`,
    ),
  );
  // Links to matters outside the scope are left out with those matters.
  const linked = (link: string, key: string, id: string) =>
    sql.raw(`coalesce((select json_agg(m.slug order by m.slug collate "C") from ${link} l
        join matters m on m.id = l.matter_id where l.${key} = ${id}), '[]'::json)`);
  const awards = await queryRows<Bundle["awards"][number]>(
    db,
    inScope(
      scope,
      sql`select a.slug, a.program, a.program_name as "programName", a.fiscal_year as "fiscalYear",
          a.amount::float8 as amount, a.amount_meaning as "amountMeaning", a.amount_note as "amountNote",
          a.award_number as "awardNumber", j.slug as jurisdiction, g.slug as agency, a.recipient_name as "recipientName",
          a.notes, ${linked("award_matters", "award_id", "a.id")} as matters, a.sources, a.public
        from awards a join jurisdictions j on j.id = a.jurisdiction_id left join agencies g on g.id = a.agency_id
        order by a.slug collate "C"`,
    ),
  );
  const conditions = await queryRows<Bundle["conditions"][number]>(
    db,
    inScope(
      scope,
      sql`select c.slug, a.slug as award, j.slug as jurisdiction, c.program, c.fiscal_year as "fiscalYear", c.kind,
          c.text, ${linked("condition_matters", "condition_id", "c.id")} as matters,
          coalesce((select json_agg(json_build_object('status', h.status, 'date', h.date, 'note', h.note,
            'sources', h.sources) order by h.position) from condition_changes h where h.condition_id = c.id), '[]'::json) as history,
          c.public
        from conditions c join jurisdictions j on j.id = c.jurisdiction_id left join awards a on a.id = c.award_id
        order by c.slug collate "C"`,
    ),
  );
  const programFacts = await queryRows<Bundle["programFacts"][number]>(
    db,
    sql`select slug, program, date, fiscal_year as "fiscalYear", metric, value, unit, description, sources
        from program_facts order by slug collate "C"`,
  );
  return canonicalBundle({
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    jurisdictions,
    agencies,
    matters,
    events,
    awards,
    conditions,
    programFacts,
  });
}

export { serializeBundle } from "@accord/domain";
