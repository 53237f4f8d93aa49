import { type AgencyKind, type MatterDates, type TopicSetting, topicSettingsOf } from "@accord/domain";
import { sql } from "drizzle-orm";
import { notFound } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import type { Queryable } from "../../../db/open.js";
import { isUuid, queryOne, queryRows } from "../../../db/sql.js";

/** A matter as provisions and compliance refer to it, with the dates deadlines are counted from. */
export interface MatterRef extends MatterDates {
  id: string;
  slug: string;
  title: string;
}

/**
 * The matter (by id or slug) if the caller's scope lets them read it (a monitor: assigned to it),
 * else 404; with the dates deadlines are counted from (its effective date: effectiveDateOf).
 */
export async function getMatterRef(ctx: ReadContext, key: string): Promise<MatterRef> {
  const cond = isUuid(key) ? sql`m.id = ${key}` : sql`m.slug = ${key}`;
  const m = await queryOne<MatterRef>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select m.id, m.slug, m.title, m.entered_on as "enteredOn", m.agreement_on as "agreementOn",
          m.ended_on as "endedOn" from matters m where ${cond}`,
    ),
  );
  if (!m) throw notFound("matter", key);
  return m;
}

/**
 * The settings of the matter's agreement (policing, custody), which choose the topics its
 * provisions may get: from the kinds of its agencies (topicSettingsOf). A person changes them by
 * setting an agency's kind (a jail's is "jail"); the next accepted parse classifies again.
 */
export async function getTopicSettings(db: Queryable, matterId: string): Promise<TopicSetting[]> {
  const rows = await queryRows<{ kind: AgencyKind }>(
    db,
    sql`select distinct a.kind from matter_agencies ma join agencies a on a.id = ma.agency_id
      where ma.matter_id = ${matterId}`,
  );
  return topicSettingsOf(rows.map((r) => r.kind));
}
