import { type CreatePeriod, CreatePeriodSchema, type Period } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatterRef } from "../../provisions/index.js";
import { getPeriod } from "../queries/periods.js";
import { assertLabelFree, assertReportOfMatter } from "./period-checks.js";

export type CreatePeriodOptions = CreatePeriod & {
  /** The matter (id or slug), read through the caller's scope. */
  key: string;
};

/** Adds a reporting period to a matter (its report: a document of the matter). */
export async function createPeriod(
  { key, ...input }: CreatePeriodOptions,
  ctx: CommandContext,
): Promise<Period> {
  const data = CreatePeriodSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatterRef(withDb(ctx, tx), key);
    await assertLabelFree(tx, matter.id, data.label);
    await assertReportOfMatter(tx, matter.id, data.reportDocumentId);
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into reporting_periods (matter_id, label, starts_on, ends_on, report_document_id)
          values (${matter.id}, ${data.label}, ${data.startsOn ?? null}, ${data.endsOn}, ${data.reportDocumentId ?? null})
          returning id`,
    );
    // The period just written, whatever the caller's scope: the audit snapshot and the answer.
    const created = await getPeriod(unscoped(withDb(ctx, tx)), row!.id);
    await recordAudit(tx, ctx, {
      action: "PERIOD_CREATED",
      entity: "reporting_period",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}
