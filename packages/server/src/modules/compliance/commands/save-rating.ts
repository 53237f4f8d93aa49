import { type Rater, type Rating, type SaveRating, SaveRatingSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, type FieldError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Queryable } from "../../../db/open.js";
import { isoTime, queryOne } from "../../../db/sql.js";
import { getMatterRef, getProvisionRow } from "../../provisions/index.js";
import { lockMatterRatings } from "../rollups.js";
import { writeAssessments } from "./save-assessments.js";

export interface RatingKey {
  provisionId: string;
  periodId: string;
  rater: Rater;
}

const invalid = (errors: FieldError[]) =>
  appError(
    "validation_failed",
    `Invalid rating: ${errors[0]!.path}: ${errors[0]!.message}; nothing was saved`,
    {
      errors,
    },
  );

/** The rating of one provision, period and rater, if there is one (`lock`: locks its row). */
async function readRating(db: Queryable, key: RatingKey, lock = false): Promise<Rating | undefined> {
  return queryOne<Rating>(
    db,
    sql`select a.provision_id as "provisionId", a.period_id as "periodId", a.rater, a.level, a.rationale,
          a.evidence, a.rated_by as "ratedBy", ${isoTime("a.rated_at")} as "ratedAt", a.version
        from assessments a
        where a.provision_id = ${key.provisionId} and a.period_id = ${key.periodId} and a.rater = ${key.rater}
        ${lock ? sql`for update of a` : sql``}`,
  );
}

/**
 * Writes one rater's rating of one provision in one period, based on the version the caller read
 * (If-Match: "0" when there was none): the grid's save for one row, with the same checks, roll-ups
 * and audit, answering 412 with the current rating when someone saved it meanwhile.
 */
export async function saveRating(
  { version, ...key }: RatingKey & { version: number },
  input: SaveRating,
  ctx: CommandContext,
): Promise<Rating> {
  const data = SaveRatingSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const provision = await getProvisionRow(read, key.provisionId);
    const matter = await getMatterRef(read, provision.matter.id);
    await lockMatterRatings(tx, matter.id);
    const current = await readRating(tx, key, true);
    if ((current?.version ?? 0) !== version)
      throw current
        ? versionConflict("rating", current)
        : appError("version_conflict", "This rating was removed by someone else; your change was not saved", {
            current: null,
          });
    await writeAssessments(tx, ctx, matter, [{ ...key, ...data }], {
      action: "ASSESSMENTS_SAVED",
      pathOf: (_i, field) => field,
      rowOf: () => "this rating",
      invalid,
      ratingsLocked: true,
    });
    return (await readRating(tx, key))!;
  });
}

/** Removes one rater's rating of one provision in one period, based on the version the caller read. */
export async function removeRating(
  { version, ...key }: RatingKey & { version: number },
  ctx: CommandContext,
): Promise<void> {
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const provision = await getProvisionRow(read, key.provisionId);
    const matter = await getMatterRef(read, provision.matter.id);
    await lockMatterRatings(tx, matter.id);
    const current = await readRating(tx, key, true);
    if (!current) throw appError("not_found", "This provision has no rating by this rater for this period");
    if (current.version !== version) throw versionConflict("rating", current);
    await writeAssessments(tx, ctx, matter, [{ ...key, level: null }], {
      action: "ASSESSMENTS_SAVED",
      pathOf: (_i, field) => field,
      rowOf: () => "this rating",
      invalid,
      ratingsLocked: true,
    });
  });
}
