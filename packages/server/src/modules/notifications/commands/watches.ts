import type { CreateWatch, Watch } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, notFound } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { isUuid, queryOne } from "../../../db/sql.js";
import { signedInUser } from "../../auth/index.js";
import { getSavedSearch } from "../../saved-searches/index.js";
import { getWatch } from "../queries.js";

/** Keywords as they are stored and matched: lower case, single spaces. */
export const normalizeKeywords = (keywords: string) => keywords.toLowerCase().replace(/\s+/g, " ").trim();

const byKey = (key: string) => (isUuid(key) ? sql`id = ${key}` : sql`slug = ${key}`);

/** Starts watching a matter, jurisdiction, provision, keywords or a saved search; only what the caller may read. */
export async function createWatch(input: CreateWatch, ctx: CommandContext): Promise<Watch> {
  const userId = signedInUser(ctx);
  let column: "matter_id" | "jurisdiction_id" | "provision_id" | "keywords" | "saved_search_id";
  let value: string;
  switch (input.target) {
    case "matter": {
      const row = await queryOne<{ id: string }>(
        ctx.db,
        inScope(ctx.scope, sql`select id from matters where ${byKey(input.key)}`),
      );
      if (!row) throw notFound("matter", input.key);
      column = "matter_id";
      value = row.id;
      break;
    }
    case "jurisdiction": {
      const row = await queryOne<{ id: string }>(
        ctx.db,
        sql`select id from jurisdictions where ${byKey(input.key)}`,
      );
      if (!row) throw notFound("jurisdiction", input.key);
      column = "jurisdiction_id";
      value = row.id;
      break;
    }
    case "provision": {
      const row = await queryOne<{ id: string }>(
        ctx.db,
        inScope(ctx.scope, sql`select id from provisions where id = ${input.key}`),
      );
      if (!row) throw notFound("provision", input.key);
      column = "provision_id";
      value = row.id;
      break;
    }
    case "keywords":
      column = "keywords";
      value = normalizeKeywords(input.keywords);
      break;
    case "saved_search": {
      // One's own only (another's answers 404), and a search: a calendar filter has no words.
      const saved = await getSavedSearch(ctx.db, userId, input.key);
      if (saved.kind !== "search")
        throw appError(
          "saved_search_kind_mismatch",
          "A saved calendar filter is not watched: follow it as a calendar feed instead",
        );
      column = "saved_search_id";
      value = saved.id;
      break;
    }
  }
  const created = await queryOne<{ id: string }>(
    ctx.db,
    sql`insert into watches (user_id, target, ${sql.identifier(column)}) values (${userId}, ${input.target}, ${value})
      on conflict do nothing returning id`,
  );
  if (!created) throw appError("watch_exists");
  return (await getWatch(ctx, created.id))!;
}

/** Stops watching (one's own watches only: another's answers 404). */
export async function deleteWatch(id: string, ctx: CommandContext): Promise<void> {
  const userId = signedInUser(ctx);
  const gone = await queryOne(
    ctx.db,
    sql`delete from watches where id = ${id} and user_id = ${userId} returning id`,
  );
  if (!gone) throw appError("not_found", "You have no such watch");
}
