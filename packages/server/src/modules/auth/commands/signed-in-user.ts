import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";

/**
 * The caller's own user id, for the commands on one's own account (the routes' policy already
 * requires a signed-in user: this only makes the type say so).
 */
export function signedInUser(ctx: CommandContext): string {
  if (!ctx.actorId) throw appError("unauthenticated", "Sign in first");
  return ctx.actorId;
}
