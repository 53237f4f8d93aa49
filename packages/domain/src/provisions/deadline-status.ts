import { z } from "zod";

/**
 * What became of one occurrence of a deadline, and the one definition of "overdue" that the
 * dashboard, the compliance view, the provisions lists and the calendar all use.
 */

export const DEADLINE_STATES = ["open", "met", "waived"] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

export const DEADLINE_STATE_LABELS: Record<DeadlineState, string> = {
  open: "Open",
  met: "Met",
  waived: "Waived",
};

/** What "overdue" means, in the words the screens say it. */
export const OVERDUE_DEFINITION =
  "Overdue: its due date (as extended by an order, if it was) has passed and it is not marked met or waived. A recurring duty counts once, at its latest past date.";

const DayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const DeadlineEvidenceSchema = z.strictObject({
  documentId: z.uuid(),
  /** The page of the document that shows it (1-based). */
  page: z.int().min(1).max(100_000).optional(),
});

export const DeadlineStatusSchema = z.object({
  state: z.enum(DEADLINE_STATES),
  /** The day it was met. */
  metOn: z.string().nullable(),
  /** Where the record shows it was met: documents and pages. */
  evidence: z.array(DeadlineEvidenceSchema.extend({ title: z.string().nullable().optional() })),
  /** The day an order moved it to. */
  extendedTo: z.string().nullable(),
  /** The order that moved it: a document or an event. */
  extendedBy: z
    .object({ documentId: z.uuid().optional(), eventId: z.uuid().optional(), title: z.string().nullable() })
    .nullable(),
  /** The person answering for it. */
  assignee: z.object({ id: z.uuid(), username: z.string(), displayName: z.string().nullable() }).nullable(),
  /** The office answering for it, in words. */
  office: z.string().nullable(),
  note: z.string().nullable(),
  /** The occurrence's version (its ETag; 0 while nobody has acted on it): send it as If-Match. */
  version: z.int(),
});
export type DeadlineStatus = z.infer<typeof DeadlineStatusSchema>;

/** An occurrence nobody has acted on. */
export const OPEN_STATUS: DeadlineStatus = {
  state: "open",
  metOn: null,
  evidence: [],
  extendedTo: null,
  extendedBy: null,
  assignee: null,
  office: null,
  note: null,
  version: 0,
};

/** The day an occurrence is due: its own, or the day an order extended it to. */
export const dueDayOf = (date: string, status: Pick<DeadlineStatus, "extendedTo"> | null | undefined) =>
  status?.extendedTo ?? date;

/**
 * Whether an occurrence is overdue on `today` (YYYY-MM-DD): due (its date, or the date an order
 * extended it to) before today, and neither met nor waived. `latestPast`: for a recurring duty,
 * whether this is its latest past occurrence (older ones are history, never overdue).
 */
export function isOverdue(
  date: string | null,
  status: Pick<DeadlineStatus, "state" | "extendedTo"> | null | undefined,
  today: string,
  latestPast = true,
): boolean {
  if (!date || !latestPast) return false;
  if (status && status.state !== "open") return false;
  return dueDayOf(date, status) < today;
}

/** The key of an occurrence: its deadline and the day it falls due. */
export const occurrenceKey = (deadlineId: string, dueOn: string) => `${deadlineId}|${dueOn}`;

const OccurrenceBody = {
  /** Which occurrence: the day it falls due, as listed (a one-time deadline has one). */
  dueOn: DayString,
  note: z.string().trim().max(2000).nullable().optional(),
};

export const MarkDeadlineMetSchema = z.strictObject({
  ...OccurrenceBody,
  /** The day it was met. */
  metOn: DayString,
  /** Where the record shows it (a document and page); at least one. */
  evidence: z.array(DeadlineEvidenceSchema).min(1, "Name the document that shows it was met").max(20),
});
export type MarkDeadlineMet = z.infer<typeof MarkDeadlineMetSchema>;

export const WaiveDeadlineSchema = z.strictObject({
  ...OccurrenceBody,
  /** Why, or by what (an order, an agreement of the parties). */
  note: z.string().trim().min(1, "Say why it was waived").max(2000),
});

export const ExtendDeadlineSchema = z
  .strictObject({
    ...OccurrenceBody,
    /** The new day it is due. */
    extendedTo: DayString,
    /** The order that extended it: a document of the matter, or an event (an order on its timeline). */
    documentId: z.uuid().optional(),
    eventId: z.uuid().optional(),
  })
  .refine((v) => v.documentId || v.eventId, {
    message: "Name the order that extended it (a document or an event)",
    path: ["documentId"],
  });

export const AssignDeadlineSchema = z
  .strictObject({
    ...OccurrenceBody,
    /** The person answering for it (null: nobody). */
    userId: z.uuid().nullable().optional(),
    /** The office answering for it, in words (null: none). */
    office: z.string().trim().max(200).nullable().optional(),
  })
  .refine((v) => v.userId !== undefined || v.office !== undefined, {
    message: "Give a person or an office (null clears it)",
    path: ["userId"],
  });

/** Reopen an occurrence marked met or waived (a mistake). */
export const ReopenDeadlineSchema = z.strictObject(OccurrenceBody);

/**
 * The sentence of a provision's text that holds a deadline's words: the duty, not just its cue
 * ("annually"). Null when the words are not found in the text.
 */
export function dutySentence(text: string | null | undefined, phrase: string, max = 400): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, " ");
  const at = flat.toLowerCase().indexOf(phrase.replace(/\s+/g, " ").toLowerCase());
  if (at < 0) return null;
  // A sentence ends at ". ", "; " or ": " followed by a capital or a paragraph marker; "No." and
  // "U.S.C." do not end one (the next character is not a space and capital, or is a digit).
  const enders = /[.;:!?](?=\s+(?:[A-Z(“"]|\d+\.\s))/g;
  let start = 0;
  let end = flat.length;
  for (const m of flat.matchAll(enders)) {
    const i = m.index ?? 0;
    if (i < at) start = i + 1;
    else if (i >= at + phrase.length - 1) {
      end = i + 1;
      break;
    }
  }
  let sentence = flat.slice(start, end).trim();
  if (sentence.length > max) {
    // Keep the words around the phrase.
    const rel = at - start;
    const from = Math.max(0, rel - Math.floor((max - phrase.length) / 2));
    sentence = `${from > 0 ? "…" : ""}${sentence.slice(from, from + max).trim()}…`;
  }
  return sentence;
}
