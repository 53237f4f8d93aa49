import { type DeadlineOccurrence, datesOfDeadline, deadlineOccurrences, occurrenceKey } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Queryable } from "../../../db/open.js";
import { isUuid, queryOne, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { readDeadlineStatuses, readDeadlines } from "../../provisions/index.js";

/** The stored columns of an occurrence's state a command may set. */
export interface OccurrenceRow {
  state: "open" | "met" | "waived";
  metOn: string | null;
  evidence: { documentId: string; page?: number }[];
  extendedTo: string | null;
  extendedBy: { documentId?: string; eventId?: string } | null;
  assigneeUserId: string | null;
  assigneeOffice: string | null;
  note: string | null;
}

const OPEN_ROW: OccurrenceRow = {
  state: "open",
  metOn: null,
  evidence: [],
  extendedTo: null,
  extendedBy: null,
  assigneeUserId: null,
  assigneeOffice: null,
  note: null,
};

export interface OccurrenceTarget {
  deadlineId: string;
  dueOn: string;
  /** The occurrence's version the caller read (If-Match; 0 before anyone acted on it). */
  version: number;
}

/** What a change may check against the deadline's matter, in the transaction. */
export interface ChangeScope {
  tx: Queryable;
  matterId: string;
  current: OccurrenceRow;
}

/** The occurrence as the lists show it, read through the caller's scope. */
async function readOccurrence(
  ctx: CommandContext,
  db: Queryable,
  deadlineId: string,
  dueOn: string,
): Promise<DeadlineOccurrence | undefined> {
  const read = withDb(ctx, db);
  const rows = await readDeadlines(read, sql`x.id = ${deadlineId}`);
  const today = ctx.now().toISOString().slice(0, 10);
  const all = deadlineOccurrences(
    rows,
    { from: "0001-01-01", to: dueOn > today ? dueOn : today },
    today,
    false,
    await readDeadlineStatuses(read, [deadlineId]),
  );
  return all.find((o) => o.dueOn === dueOn);
}

/**
 * Changes one occurrence of a deadline (its deadline and the day it falls due): the deadline is
 * read through the caller's scope (a monitor reaches only their matters' deadlines; others
 * answer 404), the day must be one it falls due on, and the version must be the one the caller
 * read (0 while nobody acted on it). One audit entry, in the same transaction.
 */
export async function changeOccurrence(
  { deadlineId, dueOn, version }: OccurrenceTarget,
  ctx: CommandContext,
  action:
    | "DEADLINE_MET"
    | "DEADLINE_WAIVED"
    | "DEADLINE_EXTENDED"
    | "DEADLINE_ASSIGNED"
    | "DEADLINE_REOPENED",
  change: (scope: ChangeScope) => Promise<Partial<OccurrenceRow>> | Partial<OccurrenceRow>,
): Promise<DeadlineOccurrence> {
  const notFound = appError("not_found", `No deadline has the id "${deadlineId}"`);
  if (!isUuid(deadlineId)) throw notFound;
  return ctx.db.transaction(async (tx) => {
    const deadline = (await readDeadlines(withDb(ctx, tx), sql`x.id = ${deadlineId}`))[0];
    if (!deadline) throw notFound;
    const { dates } = datesOfDeadline(deadline, dueOn);
    if (!dates.includes(dueOn))
      throw appError(
        "no_such_occurrence",
        `“${deadline.phrase}” (${deadline.provision.label}) does not fall due on ${dueOn}${dates.length ? `: its dates up to then are ${dates.slice(-3).join(", ")}` : ""}`,
      );
    // Serialise changes of one deadline: the state row may not exist yet.
    await tx.execute(sql`select id from provision_deadlines where id = ${deadlineId} for update`);
    const stored = await queryOne<OccurrenceRow & { version: number }>(
      tx,
      sql`select state, met_on as "metOn", evidence, extended_to as "extendedTo", extended_by as "extendedBy",
            assignee_user_id as "assigneeUserId", assignee_office as "assigneeOffice", note, version
          from deadline_occurrence_states where deadline_id = ${deadlineId} and due_on = ${dueOn}`,
    );
    const currentVersion = stored?.version ?? 0;
    if (currentVersion !== version) {
      const now = await readOccurrence(ctx, tx, deadlineId, dueOn);
      throw versionConflict("deadline", { version: currentVersion, ...(now ? { occurrence: now } : {}) });
    }
    const { version: _v, ...current } = stored ?? { ...OPEN_ROW, version: 0 };
    const next: OccurrenceRow = {
      ...current,
      ...(await change({ tx, matterId: deadline.matter.id, current })),
    };
    await tx.execute(
      sql`insert into deadline_occurrence_states (deadline_id, due_on, state, met_on, evidence, extended_to,
            extended_by, assignee_user_id, assignee_office, note, version, updated_at, updated_by)
          values (${deadlineId}, ${dueOn}, ${next.state}, ${next.metOn}, ${JSON.stringify(next.evidence)}::jsonb,
            ${next.extendedTo}, ${next.extendedBy ? JSON.stringify(next.extendedBy) : null}::jsonb,
            ${next.assigneeUserId}, ${next.assigneeOffice}, ${next.note}, 1, now(), ${ctx.actor})
          on conflict (deadline_id, due_on) do update set state = excluded.state, met_on = excluded.met_on,
            evidence = excluded.evidence, extended_to = excluded.extended_to, extended_by = excluded.extended_by,
            assignee_user_id = excluded.assignee_user_id, assignee_office = excluded.assignee_office,
            note = excluded.note, version = deadline_occurrence_states.version + 1, updated_at = now(),
            updated_by = excluded.updated_by`,
    );
    await recordAudit(tx, ctx, {
      action,
      entity: "provision_deadline",
      entityId: deadlineId,
      before: { dueOn, ...current },
      after: {
        dueOn,
        ...next,
        phrase: deadline.phrase,
        provisionId: deadline.provision.id,
        matterId: deadline.matter.id,
      },
    });
    const occurrence = await readOccurrence(ctx, tx, deadlineId, dueOn);
    return occurrence!;
  });
}

/** Refuses documents that are not the matter's (or not visible to the caller): 409 naming them. */
export async function assertDocumentsOfMatter(
  ctx: CommandContext,
  { tx, matterId }: ChangeScope,
  ids: readonly string[],
  field: string,
) {
  if (!ids.length) return;
  const found = await queryRows<{ id: string }>(
    tx,
    inScope(
      ctx.scope,
      sql`select id from documents where matter_id = ${matterId}
          and id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
    ),
  );
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length)
    throw appError("validation_failed", "The evidence must be documents of the deadline's matter", {
      errors: missing.map((id) => ({ path: field, message: `No document of this matter has the id ${id}` })),
    });
}

/** Refuses an event that is not the matter's (or not visible to the caller). */
export async function assertEventOfMatter(ctx: CommandContext, { tx, matterId }: ChangeScope, id: string) {
  const found = await queryOne<{ id: string }>(
    tx,
    inScope(ctx.scope, sql`select id from events where id = ${id} and matter_id = ${matterId}`),
  );
  if (!found)
    throw appError("validation_failed", "The order must be an event of the deadline's matter", {
      errors: [{ path: "eventId", message: `No event of this matter has the id ${id}` }],
    });
}

export { occurrenceKey };
