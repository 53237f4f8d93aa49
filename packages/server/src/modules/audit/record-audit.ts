import { type AuditEvent, AuditEventSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { CommandContext } from "../../context/command-context.js";
import { changingTransactions } from "../../db/data-version.js";
import type { Tx } from "../../db/open.js";
import { auditEntries } from "../../db/schema.js";

/** An entry of the domain's closed vocabulary: its action, record kind and allowed payload. */
export type AuditInput = AuditEvent;

/** Who made a change, as the audit trail keeps it. */
export type AuditActor = Pick<CommandContext, "actor" | "actorId" | "actorRole" | "address" | "requestId">;

/**
 * Writes the audit entry of a change inside the change's own transaction, and marks the data
 * as changed (read caches drop what they hold): one statement, the entry first (its chain's lock,
 * see migration 0022) and then the data version, as the version is moved by its rows.
 */
export async function recordAudit(tx: Tx, ctx: AuditActor, input: AuditInput) {
  // A payload its action does not allow is a bug: refuse the change rather than log it wrongly.
  const entry = AuditEventSchema.parse(input) as AuditInput;
  const insert = tx
    .insert(auditEntries)
    .values({
      actor: ctx.actor,
      actorId: ctx.actorId ?? null,
      actorRole: ctx.actorRole ?? null,
      address: ctx.address ?? null,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: entry.before ?? null,
      after: entry.after ?? null,
      requestId: ctx.requestId,
    })
    .returning({ id: auditEntries.id });
  changingTransactions.add(tx);
  await tx.execute(
    sql`with entry as (${insert.getSQL()})
        insert into data_version (id, version) select 1, 1 from entry
        on conflict (id) do update set version = data_version.version + 1`,
  );
}
