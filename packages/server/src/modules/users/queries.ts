import type { User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";

// Users are not part of the read scope (matters, events, documents, provisions): who may list
// them is the route's policy (users:manage). The context is taken all the same, so every read
// says who reads, and inside a transaction reads through it (withDb).

const SELECT = sql`select u.id, u.username, u.display_name as "displayName", u.role, u.active, u.version,
  ${isoTime("u.created_at")} as "createdAt", ${isoTime("u.updated_at")} as "updatedAt",
  ${isoTime("u.last_seen_at")} as "lastSeenAt"
  from users u`;

/** The user with this id or user name (`lock`: under a row lock, inside a transaction); else not_found. */
export async function getUser(ctx: ReadContext, key: string, lock = false): Promise<User> {
  const cond = isUuid(key) ? sql`u.id = ${key}` : sql`u.username = ${key.toLowerCase()}`;
  const user = await queryOne<User>(
    ctx.db,
    sql`${SELECT} where ${cond}${lock ? sql` for update of u` : sql``}`,
  );
  if (!user) throw notFound("user", key);
  return user;
}

/** Every user, by user name. */
export const listUsers = (ctx: ReadContext) => queryRows<User>(ctx.db, sql`${SELECT} order by u.username`);

export const countUsers = async (ctx: ReadContext) =>
  (await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from users`))?.n ?? 0;
