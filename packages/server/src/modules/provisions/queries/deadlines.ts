import {
  type DeadlineListQuery,
  deadlineOccurrences,
  effectiveDateOf,
  type StoredDeadline,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { ReadContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { queryRows } from "../../../db/sql.js";
import { readDeadlineStatuses } from "./deadline-statuses.js";
import { getMatterRef } from "./matter-ref.js";

/*
 * Deadlines are stored as the decree words them and turned into dates when read (the domain's
 * deadlineOccurrences), from the matter's effective date as it is then.
 */

const DEADLINE_COLUMNS = sql`x.id, x.phrase, x."offset", x.recurrence, x.anchor, x.anchor_date as "anchorDate", x.position,
  json_build_object('id', p.id, 'number', p.number, 'label', p.label, 'path', p.path, 'version', p.version) as provision,
  p.terminated_on as "terminatedOn", p.text,
  json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter,
  json_build_object('enteredOn', m.entered_on, 'agreementOn', m.agreement_on, 'endedOn', m.ended_on) as "matterDates"`;

/** The deadlines of current provisions (of one matter, or of every matter in the caller's view). */
export async function readDeadlines(ctx: ReadContext, where: SQL): Promise<StoredDeadline[]> {
  return queryRows<StoredDeadline>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select ${DEADLINE_COLUMNS}
        from provision_deadlines x join provisions p on p.id = x.provision_id join matters m on m.id = p.matter_id
        where p.retired_at is null and ${where}
        order by m.title, m.id, p.position, x.position`,
    ),
  );
}

const todayOf = (ctx: ReadContext) => ctx.now().toISOString().slice(0, 10);

/** A matter's deadlines as dates from its effective date (recurring ones repeated), then those without a date. */
export async function listMatterDeadlines(ctx: ReadContext, matterKey: string, q: DeadlineListQuery) {
  const matter = await getMatterRef(ctx, matterKey);
  const effective = effectiveDateOf(matter);
  const rows = await readDeadlines(ctx, sql`p.matter_id = ${matter.id}`);
  const all = deadlineOccurrences(
    rows,
    q,
    todayOf(ctx),
    true,
    await readDeadlineStatuses(
      ctx,
      rows.map((r) => r.id),
    ),
  );
  return {
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    effectiveDate: effective.date,
    note: effective.note,
    items: all.slice(q.offset, q.offset + q.limit),
    total: all.length,
    limit: q.limit,
    offset: q.offset,
  };
}

/** The dated deadlines of every matter in the caller's view, by date (for the dashboard). */
export async function listDeadlines(ctx: ReadContext, q: DeadlineListQuery) {
  const rows = await readDeadlines(ctx, sql`true`);
  const all = deadlineOccurrences(
    rows,
    q,
    todayOf(ctx),
    false,
    await readDeadlineStatuses(
      ctx,
      rows.map((r) => r.id),
    ),
  );
  return {
    items: all.slice(q.offset, q.offset + q.limit),
    total: all.length,
    limit: q.limit,
    offset: q.offset,
  };
}
