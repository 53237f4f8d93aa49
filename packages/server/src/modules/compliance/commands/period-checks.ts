import { qualifyingLevels } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { Tx } from "../../../db/open.js";
import { queryOne } from "../../../db/sql.js";
import { refreshProvisionStates } from "../rollups.js";
import { loadScale } from "../scale.js";
import { refreshMatterSummary } from "../summary.js";

/*
 * What creating, updating and deleting a reporting period share: a free label, a report that is a
 * document of the same matter, and recounting the clocks when period dates change.
 */

/** Sustainment clocks are counted in period end dates: recount them when those change. */
export async function refreshStates(tx: Tx, matterId: string) {
  const scale = await loadScale(tx, matterId);
  await refreshProvisionStates(tx, matterId, qualifyingLevels(scale.levels, scale.sustainment));
  await refreshMatterSummary(tx, matterId);
}

export async function assertLabelFree(tx: Tx, matterId: string, label: string, except: string | null = null) {
  const taken = await queryOne(
    tx,
    sql`select 1 from reporting_periods where matter_id = ${matterId} and lower(label) = ${label.toLowerCase()}
          and id is distinct from ${except}::uuid`,
  );
  if (taken)
    throw appError("label_taken", `This matter already has a reporting period "${label}"`, {
      errors: [{ path: "label", message: "Already in use" }],
    });
}

export async function assertReportOfMatter(tx: Tx, matterId: string, documentId: string | null | undefined) {
  if (!documentId) return;
  const doc = await queryOne(
    tx,
    sql`select 1 from documents where id = ${documentId} and matter_id = ${matterId}`,
  );
  if (!doc)
    throw appError("validation_failed", "The report must be a document of this matter", {
      errors: [{ path: "reportDocumentId", message: "Not a document of this matter" }],
    });
}
