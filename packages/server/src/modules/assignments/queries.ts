import type { Assignment, AssignmentList, AssignmentListQuery } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";

const SELECT = sql`select json_build_object('id', m.id, 'slug', m.slug, 'title', m.title, 'kind', m.kind, 'status', m.status) as matter,
    json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name, 'active', u.active) as "user",
    ${isoTime("x.assigned_at")} as "assignedAt", x.assigned_by as "assignedBy"
  from matter_assignments x join matters m on m.id = x.matter_id join users u on u.id = x.user_id`;

/**
 * Assignments by monitor or by matter. Only those who manage users read them (the route's
 * policy), over every matter: the read scope does not narrow this list.
 */
export async function findAssignments(ctx: ReadContext, q: AssignmentListQuery): Promise<AssignmentList> {
  const where = [sql`true`];
  if (q.user) where.push(isUuid(q.user) ? sql`u.id = ${q.user}` : sql`u.username = ${q.user.toLowerCase()}`);
  if (q.matter) where.push(isUuid(q.matter) ? sql`m.id = ${q.matter}` : sql`m.slug = ${q.matter}`);
  const cond = sql.join(where, sql` and `);
  const items = await queryRows<Assignment>(
    ctx.db,
    sql`${SELECT} where ${cond} order by u.username, m.title, m.slug limit ${q.limit} offset ${q.offset}`,
  );
  const total = await queryOne<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from matter_assignments x join matters m on m.id = x.matter_id
        join users u on u.id = x.user_id where ${cond}`,
  );
  return { items, total: total?.n ?? 0, limit: q.limit, offset: q.offset };
}
