import {
  canTransition,
  MATTER_STATUS_LABELS,
  type Matter,
  type UpdateMatter,
  UpdateMatterSchema,
} from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { matters } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../queries.js";
import { refreshMatterSearch } from "../search-text.js";
import { assertReferences, assertSlugFree, assertStatusAllowed, setAgencies } from "./checks.js";

export interface UpdateMatterOptions {
  /** The matter's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateMatter;
}

/** The fields of a matter its search text is made of, besides its agencies. */
const SEARCHED_FIELDS = ["title", "caseNumber", "jurisdictionId"] as const;

/** Changes a matter; a change of status follows the lifecycle of its kind. */
export async function updateMatter(
  { key, version, changes }: UpdateMatterOptions,
  ctx: CommandContext,
): Promise<Matter> {
  const { agencyIds, ...data } = UpdateMatterSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const before = await getMatter(read, key, true);
    if (before.version !== version) throw versionConflict("matter", before);
    const kind = data.kind ?? before.kind;
    const status = data.status ?? before.status;
    assertStatusAllowed(kind, status);
    if (kind === before.kind && !canTransition(kind, before.status, status)) {
      throw appError(
        "status_transition_not_allowed",
        `A matter that is "${MATTER_STATUS_LABELS[before.status]}" cannot become "${MATTER_STATUS_LABELS[status]}"`,
        { errors: [{ path: "status", message: "Not allowed from the current status" }] },
      );
    }
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, data.slug);
    await assertReferences(tx, ctx, { jurisdictionId: data.jurisdictionId, agencyIds });
    // A value a person sets is theirs, no longer one a rule inferred.
    const setByPerson = (field: string) =>
      field in data && data[field as keyof typeof data] !== before[field as keyof Matter];
    const inferred = before.inferred.filter((f) => !setByPerson(f.field));
    await tx
      .update(matters)
      .set({
        ...data,
        ...(inferred.length !== before.inferred.length ? { inferred } : {}),
        version: sql`${matters.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(matters.id, before.id));
    if (agencyIds) await setAgencies(tx, before.id, agencyIds);
    // The search text is the title, case number, place and agencies (search-text.ts): an edit of
    // none of them (a status note, a date) leaves it as it was, and spares rewriting the row again.
    if (agencyIds || SEARCHED_FIELDS.some((f) => f in data))
      await refreshMatterSearch(tx, sql`m.id = ${before.id}`);
    const after = await getMatter(read, before.id);
    await recordAudit(tx, ctx, {
      action: "MATTER_UPDATED",
      entity: "matter",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
