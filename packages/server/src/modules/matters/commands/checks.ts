import { isStatusAllowed, type MatterKind, type MatterStatus, statusesFor } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { matterAgencies } from "../../../db/schema.js";
import { list, queryRows } from "../../../db/sql.js";
import { fieldError } from "../../agencies/index.js";
import { findJurisdiction } from "../../jurisdictions/index.js";

// The checks and writes that creating and updating a matter share.

export function assertStatusAllowed(kind: MatterKind, status: MatterStatus) {
  if (!isStatusAllowed(kind, status)) {
    throw appError("validation_failed", `A ${kind.replaceAll("_", " ")} cannot have the status "${status}"`, {
      errors: [
        { path: "status", message: "Not a status of this kind of matter", allowed: statusesFor(kind) },
      ],
    });
  }
}

export async function assertReferences(
  tx: Tx,
  ctx: CommandContext,
  data: { jurisdictionId?: string | undefined; agencyIds?: string[] | undefined },
) {
  if (data.jurisdictionId && !(await findJurisdiction(unscoped(withDb(ctx, tx)), data.jurisdictionId))) {
    throw fieldError("jurisdictionId", "No such jurisdiction");
  }
  if (data.agencyIds?.length) {
    const found = await queryRows<{ id: string }>(
      tx,
      sql`select id from agencies where id in (${list(data.agencyIds)})`,
    );
    const known = new Set(found.map((r) => r.id));
    const i = data.agencyIds.findIndex((id) => !known.has(id));
    if (i >= 0) throw fieldError(`agencyIds.${i}`, "No such agency");
  }
}

export async function setAgencies(tx: Tx, matterId: string, agencyIds: string[]) {
  await tx.delete(matterAgencies).where(eq(matterAgencies.matterId, matterId));
  const unique = [...new Set(agencyIds)];
  if (unique.length) {
    await tx
      .insert(matterAgencies)
      .values(unique.map((agencyId, position) => ({ matterId, agencyId, position })));
  }
}

export async function assertSlugFree(tx: Tx, slug: string) {
  const rows = await queryRows(tx, sql`select 1 from matters where slug = ${slug}`);
  if (rows.length) {
    throw appError("slug_taken", `A matter already has the slug "${slug}"`, {
      errors: [{ path: "slug", message: "Already in use" }],
    });
  }
}
