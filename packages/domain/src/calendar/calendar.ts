import { z } from "zod";
import { EVENT_STATUSES } from "../enums.js";
import { DeadlineOccurrenceSchema, IsoDateSchema } from "../provisions/schemas.js";
import { csvList, IdSchema } from "../schemas.js";

/*
 * The court calendar: hearings and other dated events of the matters in the caller's view, and
 * the deadlines of their decrees, in a window of days. Recurring duties are a series expanded
 * only within the window; nothing is stored per occurrence unless a person acted on it.
 */

export const CALENDAR_KINDS = ["hearing", "event", "deadline"] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];
export const CALENDAR_KIND_LABELS: Record<CalendarKind, string> = {
  hearing: "Hearings",
  event: "Other court events",
  deadline: "Deadlines",
};

/** A hearing's status, or a deadline's (overdue by the one definition, open, met, waived). */
export const CALENDAR_STATES = [...EVENT_STATUSES, "open", "overdue", "met", "waived"] as const;
export type CalendarState = (typeof CALENDAR_STATES)[number];
export const CALENDAR_STATE_LABELS: Record<CalendarState, string> = {
  scheduled: "Scheduled",
  held: "Held",
  postponed: "Postponed",
  cancelled: "Cancelled",
  open: "Open",
  overdue: "Overdue",
  met: "Met",
  waived: "Waived",
};

/** The longest window one request may ask for (a year and a bit: the agenda's widest). */
export const CALENDAR_MAX_DAYS = 400;

const daysBetween = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 864e5;

export const CalendarQuerySchema = z
  .strictObject({
    /** The first day of the window (YYYY-MM-DD). */
    from: IsoDateSchema,
    /** The last day of the window, at most 400 days after `from`. */
    to: IsoDateSchema,
    /** Only these matters (slugs or ids, comma-separated). */
    matter: csvList(z.string().min(1).max(200)).optional(),
    /** Only these states (comma-separated). */
    state: csvList(z.enum(CALENDAR_STATES)).optional(),
    /** Only these kinds (comma-separated). */
    kind: csvList(z.enum(CALENDAR_KINDS)).optional(),
    /** Only what is mine: deadlines assigned to me, and everything of the matters assigned to me. */
    mine: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
  })
  .refine((q) => q.to >= q.from, { message: "The window ends before it begins", path: ["to"] })
  .refine((q) => daysBetween(q.from, q.to) <= CALENDAR_MAX_DAYS, {
    message: `Ask for at most ${CALENDAR_MAX_DAYS} days at once`,
    path: ["to"],
  });
export type CalendarQuery = z.output<typeof CalendarQuerySchema>;

const MatterRefSchema = z.object({ id: IdSchema, slug: z.string(), title: z.string() });

/** One change of a hearing's date or status, from the audit trail. */
export const HearingMoveSchema = z.object({
  at: z.string(),
  date: z.string().nullable(),
  newDate: z.string().nullable(),
  status: z.string().nullable(),
});

export const CalendarEventSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  kind: z.string(),
  /** The day it was first set for. */
  date: z.string(),
  time: z.string().nullable(),
  status: z.enum(EVENT_STATUSES).nullable(),
  /** For a postponed hearing: the day it moved to. */
  newDate: z.string().nullable(),
  description: z.string().nullable(),
  version: z.int(),
  updatedAt: z.string(),
  /** Each earlier date and status it had, oldest first (a postponed hearing's history). */
  history: z.array(HearingMoveSchema),
});

export const CalendarItemSchema = z.object({
  /** Stable across edits: the same hearing or occurrence keeps it (it is the ICS UID). */
  uid: z.string(),
  kind: z.enum(CALENDAR_KINDS),
  /** The day it is on now (a postponed hearing: its new date; an extended deadline: the new day). */
  date: z.string(),
  /** Local time in the court's time zone (HH:MM), when known. */
  time: z.string().nullable(),
  /** The court's IANA time zone, when known. */
  timeZone: z.string().nullable(),
  title: z.string(),
  state: z.enum(CALENDAR_STATES),
  matter: MatterRefSchema.nullable(),
  event: CalendarEventSchema.nullable(),
  deadline: DeadlineOccurrenceSchema.nullable(),
});
export type CalendarItem = z.infer<typeof CalendarItemSchema>;

/** A recurring duty, once: what it is, how often, and how many of its dates fall in the window. */
export const CalendarSeriesSchema = z.object({
  deadlineId: IdSchema,
  phrase: z.string(),
  duty: z.string().nullable(),
  every: z.object({ n: z.int(), unit: z.enum(["day", "week", "month", "year"]) }),
  matter: MatterRefSchema,
  provision: z.object({ id: IdSchema, number: z.int().nullable(), label: z.string() }),
  /** Its occurrences in the window. */
  inWindow: z.int(),
  /** Its next date on or after the window's first day. */
  next: z.string().nullable(),
});
export type CalendarSeries = z.infer<typeof CalendarSeriesSchema>;

export const CalendarSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** By date, then time (untimed first), then title. */
  items: z.array(CalendarItemSchema),
  /** The recurring duties whose dates are among the items, each once. */
  series: z.array(CalendarSeriesSchema),
  /** What "overdue" means (OVERDUE_DEFINITION). */
  overdueDefinition: z.string(),
});
export type Calendar = z.infer<typeof CalendarSchema>;

// ---------------------------------------------------------------- feed tokens

export const CalendarFeedTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** The saved calendar filter the feed follows; null for the whole calendar. */
  savedSearchId: IdSchema.nullable(),
});
export type CalendarFeedToken = z.infer<typeof CalendarFeedTokenSchema>;

export const CreateCalendarFeedTokenSchema = z.strictObject({
  /** What it is for ("Outlook at work"). */
  name: z.string().trim().min(1, "Name it (what calendar it is for)").max(100),
  /** A saved calendar filter of yours: the feed then holds only what the filter lets through. */
  savedSearchId: IdSchema.optional(),
});

export const NewCalendarFeedTokenSchema = CalendarFeedTokenSchema.extend({
  /** The token itself: shown once, in this answer only. */
  token: z.string(),
  /** The feed's address, relative to the server (`/api/v1/calendar.ics?token=…`). */
  path: z.string(),
});

export const CalendarFeedQuerySchema = z.strictObject({
  /** A calendar feed token (see the settings page): reads its owner's calendar. */
  token: z.string().min(10).max(200).optional(),
  /** As on the calendar. */
  kind: csvList(z.enum(CALENDAR_KINDS)).optional(),
  mine: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});
