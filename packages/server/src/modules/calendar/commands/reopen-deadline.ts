import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { changeOccurrence } from "./change-occurrence.js";

/** Reopens an occurrence marked met or waived by mistake (its evidence is cleared; the audit keeps it). */
export const reopenDeadline = (
  { deadlineId, version, dueOn }: { deadlineId: string; version: number; dueOn: string },
  ctx: CommandContext,
) =>
  changeOccurrence({ deadlineId, dueOn, version }, ctx, "DEADLINE_REOPENED", ({ current }) => {
    if (current.state === "open") throw appError("deadline_not_open", "This deadline is open already");
    return { state: "open", metOn: null, evidence: [] };
  });
