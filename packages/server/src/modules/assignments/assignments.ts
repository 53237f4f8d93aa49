import type { User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { appError } from "../../context/app-error.js";
import { type CommandContext, withDb } from "../../context/command-context.js";
import type { Tx } from "../../db/open.js";
import { isoTime, isUuid, list, queryOne, queryRows } from "../../db/sql.js";
import { recordAudit } from "../audit/record-audit.js";
import { getMatter } from "../matters/queries.js";
import { getUser } from "../users/index.js";

export const AssignmentSchema = z.object({
  matter: z.object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    kind: z.string(),
    status: z.string(),
  }),
  user: z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    active: z.boolean(),
  }),
  assignedAt: z.string(),
  assignedBy: z.string(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

export const AssignmentListQuerySchema = z.strictObject({
  /** A user's id or username. */
  user: z.string().max(120).optional(),
  /** A matter's id or slug. */
  matter: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const BulkAssignSchema = z.strictObject({
  /** The monitor's id or username. */
  user: z.string().min(1).max(120),
  matterIds: z.array(z.uuid()).min(1).max(1000),
});

const SELECT = sql`select json_build_object('id', m.id, 'slug', m.slug, 'title', m.title, 'kind', m.kind, 'status', m.status) as matter,
    json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name, 'active', u.active) as "user",
    ${isoTime("x.assigned_at")} as "assignedAt", x.assigned_by as "assignedBy"
  from matter_assignments x join matters m on m.id = x.matter_id join users u on u.id = x.user_id`;

export async function listAssignments(
  tx: Tx | CommandContext["db"],
  q: z.output<typeof AssignmentListQuerySchema>,
) {
  const where = [sql`true`];
  if (q.user) where.push(isUuid(q.user) ? sql`u.id = ${q.user}` : sql`u.username = ${q.user.toLowerCase()}`);
  if (q.matter) where.push(isUuid(q.matter) ? sql`m.id = ${q.matter}` : sql`m.slug = ${q.matter}`);
  const cond = sql.join(where, sql` and `);
  const items = await queryRows<Assignment>(
    tx,
    sql`${SELECT} where ${cond} order by u.username, m.title, m.slug limit ${q.limit} offset ${q.offset}`,
  );
  const total = await queryOne<{ n: number }>(
    tx,
    sql`select count(*)::int as n from matter_assignments x join matters m on m.id = x.matter_id
        join users u on u.id = x.user_id where ${cond}`,
  );
  return { items, total: total?.n ?? 0, limit: q.limit, offset: q.offset };
}

/** Only active monitors are assigned to matters: the role the assignment narrows. */
function assertAssignable(user: User) {
  if (user.role !== "monitor")
    throw appError(
      "not_a_monitor",
      `${user.username} is ${user.role === "admin" ? "an" : "a"} ${user.role}: only monitors are assigned to matters (every other role reads all of them)`,
    );
  if (!user.active) throw appError("user_inactive", `${user.username} is deactivated`);
}

async function insertAssignments(tx: Tx, user: User, matterIds: string[], ctx: CommandContext) {
  const added = await queryRows<{ matterId: string }>(
    tx,
    sql`insert into matter_assignments (matter_id, user_id, assigned_by)
        select m.id, ${user.id}, ${ctx.actor} from matters m where m.id in (${list(matterIds)})
        on conflict do nothing returning matter_id as "matterId"`,
  );
  for (const { matterId } of added) {
    await recordAudit(tx, ctx, {
      action: "MONITOR_ASSIGNED",
      entity: "matter",
      entityId: matterId,
      after: { monitor: user.username, userId: user.id },
    });
  }
  return added.length;
}

/** Assigns a monitor to a matter (again: nothing changes). */
export async function assign(matterKey: string, userKey: string, ctx: CommandContext): Promise<Assignment> {
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatter(tx, matterKey);
    const user = await getUser(withDb(ctx, tx), userKey);
    assertAssignable(user);
    await insertAssignments(tx, user, [matter.id], ctx);
    const [row] = (await listAssignments(tx, { matter: matter.id, user: user.id, limit: 1, offset: 0 }))
      .items;
    return row!;
  });
}

/** Assigns a monitor to many matters at once (those already assigned are left as they are). */
export async function assignMany(
  input: z.output<typeof BulkAssignSchema>,
  ctx: CommandContext,
): Promise<{ assigned: number; alreadyAssigned: number }> {
  return ctx.db.transaction(async (tx) => {
    const user = await getUser(withDb(ctx, tx), input.user);
    assertAssignable(user);
    const ids = [...new Set(input.matterIds)];
    const known = await queryRows<{ id: string }>(tx, sql`select id from matters where id in (${list(ids)})`);
    const knownIds = new Set(known.map((r) => r.id));
    const i = input.matterIds.findIndex((id) => !knownIds.has(id));
    if (i >= 0)
      throw appError("validation_failed", `No matter has the id ${input.matterIds[i]}; nobody was assigned`, {
        errors: [{ path: `matterIds.${i}`, message: "No such matter" }],
      });
    const assigned = await insertAssignments(tx, user, ids, ctx);
    return { assigned, alreadyAssigned: ids.length - assigned };
  });
}

export async function unassign(matterKey: string, userKey: string, ctx: CommandContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const matter = await getMatter(tx, matterKey);
    const user = await getUser(withDb(ctx, tx), userKey);
    const removed = await queryRows(
      tx,
      sql`delete from matter_assignments where matter_id = ${matter.id} and user_id = ${user.id} returning 1`,
    );
    if (!removed.length) throw appError("not_found", `${user.username} is not assigned to ${matter.slug}`);
    await recordAudit(tx, ctx, {
      action: "MONITOR_UNASSIGNED",
      entity: "matter",
      entityId: matter.id,
      before: { monitor: user.username, userId: user.id },
    });
  });
}
