import { bumpDataVersion } from "../../db/data-version.js";
import type { Tx } from "../../db/open.js";
import { auditEntries } from "../../db/schema.js";
import type { CommandContext } from "../../http/context.js";

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes the audit entry of a change inside the change's own transaction, and marks the data
 * as changed (read caches drop what they hold).
 */
export async function recordAudit(tx: Tx, ctx: Omit<CommandContext, "db">, entry: AuditInput) {
  await tx.insert(auditEntries).values({
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
  });
  await bumpDataVersion(tx);
}
