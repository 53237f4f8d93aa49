import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { fieldError } from "../../agencies/index.js";
import { findMatter } from "../../matters/index.js";

/** The matter an event is attached to exists (any matter: the route's policy allowed the write). */
export async function assertMatter(tx: Tx, ctx: CommandContext, matterId: string | null | undefined) {
  if (matterId && !(await findMatter(unscoped(withDb(ctx, tx)), matterId)))
    throw fieldError("matterId", "No such matter");
}
