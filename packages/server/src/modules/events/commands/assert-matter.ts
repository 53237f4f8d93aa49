import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { fieldError } from "../../agencies/index.js";
import { findJurisdiction } from "../../jurisdictions/index.js";
import { findMatter } from "../../matters/index.js";

/** The matter an event is attached to exists (any matter: the route's policy allowed the write). */
export async function assertMatter(tx: Tx, ctx: CommandContext, matterId: string | null | undefined) {
  if (matterId && !(await findMatter(unscoped(withDb(ctx, tx)), matterId)))
    throw fieldError("matterId", "No such matter");
}

/** The place an event is of exists (any place: places are not narrowed by scope). */
export async function assertJurisdiction(
  tx: Tx,
  ctx: CommandContext,
  jurisdictionId: string | null | undefined,
) {
  if (jurisdictionId && !(await findJurisdiction(unscoped(withDb(ctx, tx)), jurisdictionId)))
    throw fieldError("jurisdictionId", "No such jurisdiction");
}
