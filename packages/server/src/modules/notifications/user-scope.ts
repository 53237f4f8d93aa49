import { isScopedToAssignments, type Role } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { ALL, inScope, type ReadScope } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";

/** What a user may read, as the auth plugin would decide it for their requests. */
export const scopeOfUser = (user: { id: string; role: string }): ReadScope =>
  isScopedToAssignments({ role: user.role as Role }) ? { kind: "assigned", userId: user.id } : ALL;

/**
 * Whether the user may read the record now: checked for every notification as it is produced,
 * so that a watch never tells anyone of a record outside their scope (a monitor watching
 * keywords hears nothing of matters they are not assigned to).
 */
export async function canRead(
  db: Queryable,
  user: { id: string; role: string },
  record: { table: "matters" | "events" | "documents" | "provisions"; id: string },
): Promise<boolean> {
  const statement: SQL = sql`select 1 as ok from ${sql.identifier(record.table)} where id = ${record.id}`;
  return (await queryOne(db, inScope(scopeOfUser(user), statement))) !== undefined;
}
