import type { MarkDeadlineMet } from "@accord/domain";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { assertDocumentsOfMatter, changeOccurrence } from "./change-occurrence.js";

/** Marks an occurrence met on a day, with the documents (and pages) that show it. */
export const markDeadlineMet = (
  {
    deadlineId,
    version,
    dueOn,
    metOn,
    evidence,
    note,
  }: MarkDeadlineMet & { deadlineId: string; version: number },
  ctx: CommandContext,
) =>
  changeOccurrence({ deadlineId, dueOn, version }, ctx, "DEADLINE_MET", async (scope) => {
    if (scope.current.state === "waived")
      throw appError("deadline_not_open", "This deadline was waived: reopen it first to mark it met");
    if (metOn > ctx.now().toISOString().slice(0, 10))
      throw appError("validation_failed", "It cannot have been met on a day still to come", {
        errors: [{ path: "metOn", message: "Give a day up to today" }],
      });
    await assertDocumentsOfMatter(
      ctx,
      scope,
      evidence.map((e) => e.documentId),
      "evidence",
    );
    return { state: "met", metOn, evidence, ...(note !== undefined ? { note } : {}) };
  });
