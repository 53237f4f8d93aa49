import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { changeOccurrence } from "./change-occurrence.js";

/** Waives an occurrence (the court or the parties let it go), saying why. */
export const waiveDeadline = (
  { deadlineId, version, dueOn, note }: { deadlineId: string; version: number; dueOn: string; note: string },
  ctx: CommandContext,
) =>
  changeOccurrence({ deadlineId, dueOn, version }, ctx, "DEADLINE_WAIVED", ({ current }) => {
    if (current.state === "met")
      throw appError("deadline_not_open", "This deadline was met: reopen it first to waive it");
    return { state: "waived", note };
  });
