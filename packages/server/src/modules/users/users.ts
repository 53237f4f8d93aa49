import { ROLES, type Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { appError, notFound } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import type { Queryable } from "../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";
import { recordAudit } from "../audit/record-audit.js";
import { generatePassword, hashPassword } from "../auth/secrets.js";
import { deleteSessionsOf } from "../auth/sessions.js";

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, "Use 2–64 lowercase letters, digits, dots, hyphens or underscores");

export const UserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  active: z.boolean(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSeenAt: z.string().nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const CreateUserSchema = z.strictObject({
  username: UsernameSchema,
  displayName: z.string().trim().max(200).nullish(),
  role: z.enum(ROLES),
  /** Leave out to have a random one generated and shown once. */
  password: z.string().min(12, "Use at least 12 characters").max(1000).optional(),
});

export const UpdateUserSchema = z.strictObject({
  displayName: z.string().trim().max(200).nullish(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
});

const SELECT = sql`select u.id, u.username, u.display_name as "displayName", u.role, u.active, u.version,
  ${isoTime("u.created_at")} as "createdAt", ${isoTime("u.updated_at")} as "updatedAt",
  ${isoTime("u.last_seen_at")} as "lastSeenAt"
  from users u`;

export async function getUser(db: Queryable, key: string, lock = false): Promise<User> {
  const cond = isUuid(key) ? sql`u.id = ${key}` : sql`u.username = ${key.toLowerCase()}`;
  const user = await queryOne<User>(db, sql`${SELECT} where ${cond}${lock ? sql` for update of u` : sql``}`);
  if (!user) throw notFound("user", key);
  return user;
}

export const listUsers = (db: Queryable) => queryRows<User>(db, sql`${SELECT} order by u.username`);

export const countUsers = async (db: Queryable) =>
  (await queryOne<{ n: number }>(db, sql`select count(*)::int as n from users`))?.n ?? 0;

/** Creates a user; returns it with the password to hand over (generated when none was given). */
export async function createUser(
  input: z.input<typeof CreateUserSchema>,
  ctx: CommandContext,
): Promise<{ user: User; password: string }> {
  const data = CreateUserSchema.parse(input);
  const password = data.password ?? generatePassword();
  const hash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const taken = await queryOne(tx, sql`select 1 from users where username = ${data.username}`);
    if (taken) {
      throw appError("username_taken", `The user name "${data.username}" is taken`, {
        errors: [{ path: "username", message: "Already in use" }],
      });
    }
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into users (username, display_name, role, password_hash, password_changed_at)
          values (${data.username}, ${data.displayName ?? null}, ${data.role}, ${hash}, now()) returning id`,
    );
    const user = await getUser(tx, row!.id);
    await recordAudit(tx, ctx, { action: "USER_CREATED", entity: "user", entityId: user.id, after: user });
    return { user, password };
  });
}

/** Changes a user's name, role or whether they may sign in; deactivating ends their sessions. */
export async function updateUser(
  key: string,
  expectedVersion: number,
  input: z.input<typeof UpdateUserSchema>,
  ctx: CommandContext,
): Promise<User> {
  const data = UpdateUserSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getUser(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("user", before);
    if (before.id === ctx.actorId && (data.active === false || (data.role && data.role !== before.role))) {
      throw appError("cannot_change_self", "You cannot deactivate yourself or change your own role");
    }
    await tx.execute(
      sql`update users set
            display_name = ${data.displayName === undefined ? sql`display_name` : (data.displayName ?? null)},
            role = ${data.role ?? before.role}, active = ${data.active ?? before.active},
            version = version + 1, updated_at = now()
          where id = ${before.id}`,
    );
    if (data.active === false || (data.role && data.role !== before.role))
      await deleteSessionsOf(tx, before.id);
    const after = await getUser(tx, before.id);
    await recordAudit(tx, ctx, {
      action: "USER_UPDATED",
      entity: "user",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

/** Sets a new password (generated unless given) and ends the user's sessions. */
export async function resetPassword(
  key: string,
  ctx: CommandContext,
  given?: string,
): Promise<{ user: User; password: string }> {
  const password = given ?? generatePassword();
  const hash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const user = await getUser(tx, key, true);
    await tx.execute(
      sql`update users set password_hash = ${hash}, password_changed_at = now(), version = version + 1, updated_at = now()
          where id = ${user.id}`,
    );
    await deleteSessionsOf(tx, user.id);
    await tx.execute(sql`delete from sign_in_throttle where key = ${`user:${user.username}`}`);
    await recordAudit(tx, ctx, { action: "PASSWORD_RESET", entity: "user", entityId: user.id });
    return { user: await getUser(tx, user.id), password };
  });
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
