import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { Tx } from "../../../db/open.js";
import { awardMatters } from "../../../db/schema.js";
import { list, queryOne, queryRows } from "../../../db/sql.js";
import { fieldError } from "../../agencies/index.js";

// The checks and writes that the grants commands share. They read past the caller's scope: the
// route's policy allowed the write, and a reference must exist whoever can see it.

export async function assertSlugFree(tx: Tx, table: "awards" | "conditions", slug: string) {
  const rows = await queryRows(tx, sql`select 1 from ${sql.raw(table)} where slug = ${slug}`);
  if (rows.length) {
    throw appError(
      "slug_taken",
      `A ${table === "awards" ? "grant award" : "condition"} already has the slug "${slug}"`,
      {
        errors: [{ path: "slug", message: "Already in use" }],
      },
    );
  }
}

export async function assertJurisdiction(tx: Tx, id: string, path = "jurisdictionId") {
  const row = await queryOne(tx, sql`select 1 as ok from jurisdictions where id = ${id}`);
  if (!row) throw fieldError(path, "No such jurisdiction");
}

/** The agency exists and belongs to the jurisdiction. */
export async function assertAgencyOf(tx: Tx, agencyId: string, jurisdictionId: string) {
  const row = await queryOne<{ jurisdictionId: string }>(
    tx,
    sql`select jurisdiction_id as "jurisdictionId" from agencies where id = ${agencyId}`,
  );
  if (!row) throw fieldError("agencyId", "No such agency");
  if (row.jurisdictionId !== jurisdictionId)
    throw fieldError("agencyId", "The agency is not of this jurisdiction");
}

export async function assertMatters(tx: Tx, matterIds: readonly string[] | undefined) {
  if (!matterIds?.length) return;
  const found = await queryRows<{ id: string }>(
    tx,
    sql`select id from matters where id in (${list(matterIds)})`,
  );
  const known = new Set(found.map((r) => r.id));
  const i = matterIds.findIndex((id) => !known.has(id));
  if (i >= 0) throw fieldError(`matterIds.${i}`, "No such matter");
}

export async function setAwardMatters(tx: Tx, awardId: string, matterIds: readonly string[]) {
  await tx.execute(sql`delete from award_matters where award_id = ${awardId}`);
  const unique = [...new Set(matterIds)];
  if (unique.length) await tx.insert(awardMatters).values(unique.map((matterId) => ({ awardId, matterId })));
}
