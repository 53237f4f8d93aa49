import {
  type CreateSavedSearch,
  SavedCalendarFilterSchema,
  type SavedSearch,
  SavedSearchFiltersSchema,
  type UpdateSavedSearch,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { signedInUser } from "../../auth/index.js";
import { getSavedSearch } from "../queries.js";

/** Keeps a search or a calendar filter under a name, for the caller alone. */
export async function createSavedSearch(input: CreateSavedSearch, ctx: CommandContext): Promise<SavedSearch> {
  const userId = signedInUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into saved_searches (user_id, kind, name, query)
        values (${userId}, ${input.kind}, ${input.name}, ${JSON.stringify(input.query)}::jsonb) returning id`,
    );
    const created = await getSavedSearch(tx, userId, row!.id);
    await recordAudit(tx, ctx, {
      action: "SAVED_SEARCH_CREATED",
      entity: "saved_search",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

/** What is saved must have the shape of the saved search's kind (words for a search…). */
function queryOfKind(kind: SavedSearch["kind"], query: unknown) {
  const parsed = (kind === "search" ? SavedSearchFiltersSchema : SavedCalendarFilterSchema).safeParse(query);
  if (!parsed.success)
    throw appError(
      "validation_failed",
      `This is a saved ${kind === "search" ? "search" : "calendar filter"}`,
      {
        errors: parsed.error.issues.map((i) => ({
          path: ["query", ...i.path].join("."),
          message: i.message,
        })),
      },
    );
  return parsed.data;
}

/** Renames a saved search or replaces what it holds, from the version the caller read. */
export async function updateSavedSearch(
  { id, version, changes }: { id: string; version: number; changes: UpdateSavedSearch },
  ctx: CommandContext,
): Promise<SavedSearch> {
  const userId = signedInUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const before = await getSavedSearch(tx, userId, id, true);
    if (before.version !== version) throw versionConflict("saved search", before);
    const query = changes.query === undefined ? undefined : queryOfKind(before.kind, changes.query);
    await tx.execute(
      sql`update saved_searches set
          name = ${changes.name ?? before.name},
          query = ${JSON.stringify(query ?? before.query)}::jsonb,
          version = version + 1, updated_at = now()
        where id = ${id}`,
    );
    const after = await getSavedSearch(tx, userId, id);
    await recordAudit(tx, ctx, {
      action: "SAVED_SEARCH_UPDATED",
      entity: "saved_search",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** Deletes a saved search, and with it its watch and the calendar feeds that follow it. */
export async function deleteSavedSearch(
  { id, version }: { id: string; version: number },
  ctx: CommandContext,
): Promise<void> {
  const userId = signedInUser(ctx);
  await ctx.db.transaction(async (tx) => {
    const before = await getSavedSearch(tx, userId, id, true);
    if (before.version !== version) throw versionConflict("saved search", before);
    await tx.execute(sql`delete from saved_searches where id = ${id}`);
    await recordAudit(tx, ctx, {
      action: "SAVED_SEARCH_DELETED",
      entity: "saved_search",
      entityId: id,
      before,
    });
  });
}
