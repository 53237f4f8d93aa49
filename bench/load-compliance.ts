/**
 * Synthetic compliance data for the benchmarks, put straight into the tables with set-based SQL
 * (not the API): per matter, `provisions` numbered paragraphs over 20 sections with one to three
 * topics, `periods` half-yearly reporting periods, a rating of every provision in every period on
 * the default scale (a slow climb with noise and backslides), and the roll-ups counted from them.
 * Deterministic: the same options give the same ratings.
 */
import { DEFAULT_COMPLIANCE_LEVELS, TOPICS } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { Db } from "../packages/server/src/db/open.js";
import { refreshComplianceRollups } from "../packages/server/src/modules/compliance/index.js";

export interface ComplianceLoad {
  matters: number;
  provisionsPerMatter: number;
  periods: number;
  assessments: number;
  rollupRows: number;
  seconds: number;
}

const count = async (db: Db, table: string) =>
  Number(
    (
      (await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n,
  );

/** Loads compliance data for the first `matters` matters (by slug), one matter per transaction. */
export async function loadCompliance(
  db: Db,
  options: { matters: number; provisionsPerMatter: number; periods: number },
  log: (msg: string) => void = () => {},
): Promise<ComplianceLoad> {
  const t0 = performance.now();
  const matterIds = (
    (await db.execute(sql`select id from matters order by slug limit ${options.matters}`)) as unknown as {
      rows: { id: string }[];
    }
  ).rows.map((r) => r.id);
  const topics = `{${TOPICS.join(",")}}`;
  const levels = DEFAULT_COMPLIANCE_LEVELS.map((l) => l.code);
  const codes = `{${levels.join(",")}}`;
  const P = options.provisionsPerMatter;
  for (const [k, matterId] of matterIds.entries()) {
    await db.transaction(async (tx) => {
      await tx.execute(
        sql`insert into compliance_scales (matter_id, levels, sustainment)
            values (${matterId}, ${JSON.stringify(DEFAULT_COMPLIANCE_LEVELS)}::jsonb, '{"level": "full", "years": 2}'::jsonb)`,
      );
      // Sections of equal size; one topic for every paragraph, a second and third for some.
      await tx.execute(
        sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
            select ${matterId}, g.n, '¶ ' || g.n,
              jsonb_build_array(jsonb_build_object('number', s.sec::text, 'title', 'Section ' || s.sec, 'level', 1)),
              'Section ' || s.sec || ' › ¶ ' || g.n,
              'Synthetic paragraph ' || g.n || ' of benchmark decree ' || ${k},
              (select jsonb_agg(jsonb_build_object('topic', t.topic, 'score', 3, 'because', '[]'::jsonb))
                 from (select distinct (${topics}::text[])[1 + ((g.n * x.m + ${k}) % ${TOPICS.length})] as topic
                       from (values (7), (11), (13)) as x(m)
                       where x.m = 7 or (x.m = 11 and g.n % 3 = 0) or (x.m = 13 and g.n % 5 = 0)) t)
            from generate_series(1, ${P}) as g(n)
              cross join lateral (select 1 + (g.n - 1) * 20 / ${P} as sec) s`,
      );
      await tx.execute(
        sql`insert into reporting_periods (matter_id, label, starts_on, ends_on)
            select ${matterId}, 'Report ' || i,
              to_char(date '2014-01-01' + make_interval(months => (i - 1) * 6), 'YYYY-MM-DD'),
              to_char(date '2014-01-01' + make_interval(months => i * 6) - interval '1 day', 'YYYY-MM-DD')
            from generate_series(1, ${options.periods}) as i`,
      );
      // A provision climbs about a level every four periods from a start of its own, with noise
      // (so some backslide); level 1 is "not yet assessed", seen early on only.
      await tx.execute(
        sql`insert into assessments (provision_id, period_id, level, rationale, evidence, rated_by)
            select p.id, rp.id,
              (${codes}::text[])[least(5, greatest(case when rp.i <= 2 then 1 else 2 end,
                 1 + floor(rp.i / 4.0 + (((p.number * 2654435761::bigint + rp.i * 40503 + ${k} * 9973) % 10007) / 10007.0) * 2.2
                   - (((p.number * 7 + ${k}) % 13) / 13.0) * 1.5)::int))],
              null, '[]'::jsonb, 'bench'
            from provisions p
              cross join (select id, row_number() over (order by ends_on) as i from reporting_periods
                          where matter_id = ${matterId}) rp
            where p.matter_id = ${matterId}`,
      );
      await refreshComplianceRollups(tx, matterId);
    });
    if ((k + 1) % 10 === 0 || k + 1 === matterIds.length)
      log(
        `compliance data: ${k + 1}/${matterIds.length} matters (${Math.round(performance.now() - t0) / 1000} s)`,
      );
  }
  // The embedded database has no autovacuum: give the planner its statistics.
  await db.execute(
    sql`analyze provisions, reporting_periods, assessments, compliance_rollups, compliance_scales, compliance_provision_states`,
  );
  return {
    matters: matterIds.length,
    provisionsPerMatter: P,
    periods: options.periods,
    assessments: await count(db, "assessments"),
    rollupRows: await count(db, "compliance_rollups"),
    seconds: Math.round(performance.now() - t0) / 1000,
  };
}
