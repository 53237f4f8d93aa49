import type { CommandContext } from "../../../context/command-context.js";
import { recordAudit } from "../../audit/index.js";
import { deleteSession } from "../sessions.js";

/**
 * Ends the session of this cookie, recorded as SIGNED_OUT of its user (nothing happens, and
 * nothing is recorded, when there was no such session).
 */
export async function signOut(
  { cookie }: { cookie: string | undefined },
  ctx: CommandContext,
): Promise<void> {
  if (!cookie) return;
  await ctx.db.transaction(async (tx) => {
    const userId = await deleteSession(tx, cookie);
    // The audit entry also marks the data as changed: the ended session is forgotten everywhere.
    if (userId) await recordAudit(tx, ctx, { action: "SIGNED_OUT", entity: "user", entityId: userId });
  });
}
