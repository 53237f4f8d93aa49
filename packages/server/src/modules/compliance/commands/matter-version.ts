import { sql } from "drizzle-orm";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { queryOne } from "../../../db/sql.js";
import { getMatter } from "../../matters/index.js";

/**
 * Locks the matter's row and checks it against the version the caller read (If-Match). The
 * changes of a whole matter's compliance (a section terminated, a report's table imported) are
 * changes of the matter: two made from the same read must not silently overwrite each other.
 */
export async function lockMatterVersion(tx: Tx, ctx: CommandContext, matterId: string, version: number) {
  const row = await queryOne<{ version: number }>(
    tx,
    sql`select version from matters where id = ${matterId} for update`,
  );
  if (row?.version !== version) throw versionConflict("matter", await getMatter(withDb(ctx, tx), matterId));
}

/** Counts a change of the matter's compliance in its version; answers the new version (its ETag). */
export async function bumpMatterVersion(tx: Tx, matterId: string): Promise<number> {
  const row = await queryOne<{ version: number }>(
    tx,
    sql`update matters set version = version + 1, updated_at = now() where id = ${matterId} returning version`,
  );
  return row!.version;
}
