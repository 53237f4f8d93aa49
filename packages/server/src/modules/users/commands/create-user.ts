import { type CreateUser, CreateUserSchema, type User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { generatePassword, hashPassword, refuseCommonPassword } from "../../auth/index.js";
import { getUser } from "../queries.js";

/** A password (the one given, or generated) with its hash, made ahead of the user (preparePassword). */
export interface PreparedPassword {
  password: string;
  hash: string;
}

/**
 * The password a user will be created with, hashed now: `given`, or a generated one. The first
 * start's loader hashes the first administrator's before it loads anything, while its memory is
 * low: scrypt takes 128 MB.
 */
export async function preparePassword(given: string | undefined): Promise<PreparedPassword> {
  const password = given ?? generatePassword();
  return { password, hash: await hashPassword(password) };
}

/**
 * Creates a user; returns it with the password to hand over (generated when none was given).
 * `prepared`: the password and its hash made beforehand (preparePassword of `input.password`).
 */
export async function createUser(
  input: CreateUser,
  ctx: CommandContext,
  prepared?: PreparedPassword,
): Promise<{ user: User; password: string }> {
  const data = CreateUserSchema.parse(input);
  if (data.password !== undefined) refuseCommonPassword(data.password, "password");
  if (prepared && data.password !== undefined && prepared.password !== data.password)
    throw new Error("The prepared password is not the one given");
  const password = prepared?.password ?? data.password ?? generatePassword();
  const hash = prepared?.hash ?? (await hashPassword(password));
  return ctx.db.transaction(async (tx) => {
    const taken = await queryOne(tx, sql`select 1 from users where username = ${data.username}`);
    if (taken) {
      throw appError("username_taken", `The user name "${data.username}" is taken`, {
        errors: [{ path: "username", message: "Already in use" }],
      });
    }
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into users (username, display_name, role, password_hash, password_changed_at, must_change_password)
          values (${data.username}, ${data.displayName ?? null}, ${data.role}, ${hash}, now(),
            ${data.password === undefined}) returning id`,
    );
    const user = await getUser(withDb(ctx, tx), row!.id);
    await recordAudit(tx, ctx, { action: "USER_CREATED", entity: "user", entityId: user.id, after: user });
    return { user, password };
  });
}
