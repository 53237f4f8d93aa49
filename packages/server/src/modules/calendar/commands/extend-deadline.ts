import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { assertDocumentsOfMatter, assertEventOfMatter, changeOccurrence } from "./change-occurrence.js";

export interface ExtendDeadlineOptions {
  deadlineId: string;
  version: number;
  dueOn: string;
  extendedTo: string;
  documentId?: string | undefined;
  eventId?: string | undefined;
  note?: string | null | undefined;
}

/** Moves an occurrence to a later day by an order of the court (a document or an event of the matter). */
export const extendDeadline = (
  { deadlineId, version, dueOn, extendedTo, documentId, eventId, note }: ExtendDeadlineOptions,
  ctx: CommandContext,
) =>
  changeOccurrence({ deadlineId, dueOn, version }, ctx, "DEADLINE_EXTENDED", async (scope) => {
    if (scope.current.state !== "open")
      throw appError("deadline_not_open", `This deadline is already ${scope.current.state}`);
    if (extendedTo <= dueOn)
      throw appError("validation_failed", "An extension moves the deadline later", {
        errors: [{ path: "extendedTo", message: `Give a day after ${dueOn}` }],
      });
    if (documentId) await assertDocumentsOfMatter(ctx, scope, [documentId], "documentId");
    if (eventId) await assertEventOfMatter(ctx, scope, eventId);
    return {
      extendedTo,
      extendedBy: { ...(documentId ? { documentId } : {}), ...(eventId ? { eventId } : {}) },
      ...(note !== undefined ? { note } : {}),
    };
  });
