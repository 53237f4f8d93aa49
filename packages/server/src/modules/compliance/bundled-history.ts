import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readAlbuquerqueHistory } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import { systemContext, withDb } from "../../context/command-context.js";
import type { Database } from "../../db/open.js";
import { settings as settingsTable } from "../../db/schema.js";
import { queryOne, queryRows } from "../../db/sql.js";
import { recordAudit } from "../audit/index.js";
import { getMatterRef } from "../provisions/index.js";
import { writeAssessments } from "./commands/save-assessments.js";
import { setComplianceScale } from "./commands/set-compliance-scale.js";

/** The bundled ratings histories: the matter (its slug in data/bundle/registry.json) and the file. */
const HISTORIES = [
  { slug: "albuquerque-apd-2014", file: "monitoring/albuquerque_casa/imr_ratings_long.csv" },
] as const;

const SETTING = "ratings_histories_loaded";

/** Where the bundled data folder is: beside the bundle's folder (data/bundle/registry.json → data/). */
const dataRootOf = (bundlePath: string) => dirname(dirname(bundlePath));

/**
 * On the first start: gives each bundled ratings history's matter (the Albuquerque CASA: 270
 * paragraphs rated in 13 monitor's reports) its compliance scale, its provisions by number and
 * title — the agreement's text is in no source, so each has an empty text and its title as caption
 * — its reporting periods (undated: no source dates the reports) and every rating, the monitor's.
 * One transaction per matter; a matter that is missing, or already has provisions or periods of
 * its own, is left alone. Later starts change nothing.
 */
export async function loadBundledRatingsHistoriesOnce(
  database: Database,
  bundlePath: string | null,
  log: (m: string) => void,
) {
  if (!bundlePath) return;
  const done = await queryOne(database.db, sql`select 1 from settings where key = ${SETTING}`);
  if (done) return;
  const loaded: string[] = [];
  for (const { slug, file } of HISTORIES) {
    const path = join(dataRootOf(bundlePath), file);
    if (!existsSync(path)) continue;
    const history = readAlbuquerqueHistory(readFileSync(path, "utf8"));
    const wrote = await database.db.transaction(async (tx) => {
      const ctx = withDb(systemContext(database.db, "system"), tx);
      const found = await queryOne<{ id: string }>(tx, sql`select id from matters where slug = ${slug}`);
      if (!found) return false;
      const matter = await getMatterRef(ctx, found.id);
      const own = await queryOne<{ n: number }>(
        tx,
        sql`select (select count(*) from provisions where matter_id = ${matter.id})
              + (select count(*) from reporting_periods where matter_id = ${matter.id}) as n`,
      );
      if (Number(own?.n ?? 0) > 0) return false;
      const scale = await queryOne<{ version: number }>(
        tx,
        sql`select version from compliance_scales where matter_id = ${matter.id}`,
      );
      await setComplianceScale({ key: matter.id, version: scale?.version ?? 0, scale: history.scale }, ctx);
      const provisions = JSON.stringify(
        history.provisions.map((p, i) => ({ n: p.number, l: p.label, c: p.title, o: i + 1 })),
      );
      const ids = await queryRows<{ id: string; number: number }>(
        tx,
        sql`insert into provisions (matter_id, number, label, position, depth, heading, caption, path, text)
            select ${matter.id}, x.n, x.l, x.o, 0, false, x.c, x.l, ''
            from jsonb_to_recordset(${provisions}::jsonb) as x(n int, l text, c text, o int)
            returning id, number`,
      );
      const periods = JSON.stringify(history.periods.map((p) => ({ l: p.label })));
      const periodIds = await queryRows<{ id: string; label: string }>(
        tx,
        sql`insert into reporting_periods (matter_id, label, starts_on, ends_on)
            select ${matter.id}, x.l, null, null from jsonb_to_recordset(${periods}::jsonb) as x(l text)
            returning id, label`,
      );
      const provisionOf = new Map(ids.map((r) => [r.number, r.id]));
      const periodOf = new Map(periodIds.map((r) => [r.label, r.id]));
      await recordAudit(tx, ctx, {
        action: "RATINGS_HISTORY_LOADED",
        entity: "matter",
        entityId: matter.id,
        after: {
          source: file,
          provisions: ids.length,
          periods: periodIds.map((p) => p.label),
          ratings: history.ratings.length,
        },
      });
      await writeAssessments(
        tx,
        ctx,
        matter,
        history.ratings.map((r) => ({
          provisionId: provisionOf.get(r.number)!,
          periodId: periodOf.get(r.period)!,
          rater: "monitor" as const,
          level: r.level,
        })),
        {
          action: "ASSESSMENTS_IMPORTED",
          pathOf: (i, field) => `${file}, rating ${i + 1}, ${field}`,
          rowOf: (i) => `${file}, rating ${i + 1}`,
          invalid: (errors) =>
            appError("import_invalid", `The bundled ratings history ${file} does not load`, { errors }),
          auditExtra: { source: file },
        },
      );
      return true;
    });
    if (wrote)
      loaded.push(`${slug} (${history.provisions.length} provisions, ${history.ratings.length} ratings)`);
  }
  await database.db
    .insert(settingsTable)
    .values({ key: SETTING, value: { at: new Date().toISOString(), loaded } })
    .onConflictDoNothing();
  if (loaded.length) log(`Loaded the bundled ratings histories: ${loaded.join("; ")}`);
}
