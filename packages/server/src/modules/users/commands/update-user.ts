import { type UpdateUser, UpdateUserSchema, type User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { deleteSessionsOf } from "../../auth/index.js";
import { getUser } from "../queries.js";

export interface UpdateUserOptions {
  /** The user's id or user name. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateUser;
}

/**
 * Changes a user's name, role or whether they may sign in; deactivating ends their sessions. A
 * role change is recorded twice: as the update, and as USER_ROLE_CHANGED, which an auditor
 * looking for who was given which rights can filter on.
 */
export async function updateUser(
  { key, version, changes }: UpdateUserOptions,
  ctx: CommandContext,
): Promise<User> {
  const data = UpdateUserSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const before = await getUser(read, key, true);
    if (before.version !== version) throw versionConflict("user", before);
    const roleChanged = data.role !== undefined && data.role !== before.role;
    if (before.id === ctx.actorId && (data.active === false || roleChanged)) {
      throw appError("cannot_change_self", "You cannot deactivate yourself or change your own role");
    }
    await tx.execute(
      sql`update users set
            display_name = ${data.displayName === undefined ? sql`display_name` : (data.displayName ?? null)},
            role = ${data.role ?? before.role}, active = ${data.active ?? before.active},
            version = version + 1, updated_at = now()
          where id = ${before.id}`,
    );
    // Sessions granted under the old role (or to a deactivated user) end.
    if (data.active === false || roleChanged) await deleteSessionsOf(tx, before.id);
    const after = await getUser(read, before.id);
    await recordAudit(tx, ctx, {
      action: "USER_UPDATED",
      entity: "user",
      entityId: before.id,
      before,
      after,
    });
    if (roleChanged) {
      await recordAudit(tx, ctx, {
        action: "USER_ROLE_CHANGED",
        entity: "user",
        entityId: before.id,
        before: { role: before.role },
        after: { role: after.role },
      });
    }
    return after;
  });
}
