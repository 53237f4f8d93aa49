import { z } from "zod";
import { CALENDAR_KINDS, CALENDAR_STATES } from "./calendar/calendar.js";
import { DOCUMENT_KINDS, SEARCH_TYPES } from "./documents.js";
import { IdSchema, StateCodeSchema } from "./schemas.js";
import { searchQueryProblem } from "./search-query.js";

/*
 * Saved searches and saved calendar filters: a user keeps a search (its words and filters) or a
 * calendar filter under a name, to run again, to watch (a new event or document matching the
 * search is told of) or, for a calendar filter, to follow as an iCalendar feed.
 */

export const SAVED_SEARCH_KINDS = ["search", "calendar"] as const;
export type SavedSearchKind = (typeof SAVED_SEARCH_KINDS)[number];

const SavedNameSchema = z.string().trim().min(1, "Name it").max(100);

/** A search as the search page runs it (without paging). */
export const SavedSearchFiltersSchema = z.strictObject({
  /** The words, as typed in the search box (quoted phrases, -exclusions, prefix*). */
  q: z
    .string()
    .trim()
    .min(1, "Type something to search for")
    .max(500)
    .superRefine((q, ctx) => {
      const problem = searchQueryProblem(q);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  type: z.array(z.enum(SEARCH_TYPES)).max(SEARCH_TYPES.length).optional(),
  /** Document kinds: a search narrowed to some kinds matches documents only. */
  kind: z.array(z.enum(DOCUMENT_KINDS)).max(DOCUMENT_KINDS.length).optional(),
  /** A matter's id or slug. */
  matter: z
    .string()
    .max(120)
    .regex(/^[A-Za-z0-9-]+$/, "A matter's id or slug")
    .optional(),
  /** States of the matter's jurisdiction. */
  state: z.array(StateCodeSchema).max(60).optional(),
  year: z.array(z.int().min(1900).max(2100)).max(50).optional(),
});
export type SavedSearchFilters = z.infer<typeof SavedSearchFiltersSchema>;

/** A calendar filter as the calendar page applies it (the window is the page's, not saved). */
export const SavedCalendarFilterSchema = z.strictObject({
  /** Matters (slugs or ids). */
  matter: z.array(z.string().min(1).max(200)).max(50).optional(),
  state: z.array(z.enum(CALENDAR_STATES)).max(CALENDAR_STATES.length).optional(),
  kind: z.array(z.enum(CALENDAR_KINDS)).max(CALENDAR_KINDS.length).optional(),
  /** Only what is mine (deadlines assigned to me, everything of the matters assigned to me). */
  mine: z.boolean().optional(),
});
export type SavedCalendarFilter = z.infer<typeof SavedCalendarFilterSchema>;

export const CreateSavedSearchSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("search"), name: SavedNameSchema, query: SavedSearchFiltersSchema }),
  z.strictObject({ kind: z.literal("calendar"), name: SavedNameSchema, query: SavedCalendarFilterSchema }),
]);
export type CreateSavedSearch = z.output<typeof CreateSavedSearchSchema>;

/** Rename, or replace what is saved (its shape is the saved search's kind's). */
export const UpdateSavedSearchSchema = z
  .strictObject({
    name: SavedNameSchema.optional(),
    query: z.union([SavedSearchFiltersSchema, SavedCalendarFilterSchema]).optional(),
  })
  .refine((u) => u.name !== undefined || u.query !== undefined, { message: "Nothing to change" });
export type UpdateSavedSearch = z.output<typeof UpdateSavedSearchSchema>;

export const SavedSearchSchema = z.object({
  id: IdSchema,
  kind: z.enum(SAVED_SEARCH_KINDS),
  name: z.string(),
  query: z.union([SavedSearchFiltersSchema, SavedCalendarFilterSchema]),
  /** The app's address that runs it (the search page or the calendar with the filters). */
  link: z.string(),
  /** The caller's watch of it (a search only), null when not watched. */
  watchId: IdSchema.nullable(),
  /** The calendar feeds that follow it (a calendar filter only) and are not revoked. */
  feeds: z.int(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedSearch = z.infer<typeof SavedSearchSchema>;

export const SavedSearchListQuerySchema = z.strictObject({
  kind: z.enum(SAVED_SEARCH_KINDS).optional(),
});

const list = (values: readonly (string | number)[] | undefined) => (values?.length ? values.join(",") : null);

/** The app's address of a saved search or filter: what the search page or calendar reads back. */
export function savedSearchLink(
  kind: SavedSearchKind,
  query: SavedSearchFilters | SavedCalendarFilter,
): string {
  // The domain has no URLSearchParams (no DOM, no Node): the pairs are encoded by hand.
  const pairs: string[] = [];
  const set = (key: string, value: string | null | undefined) => {
    if (value) pairs.push(`${key}=${encodeURIComponent(value)}`);
  };
  if (kind === "search") {
    const q = query as SavedSearchFilters;
    set("q", q.q);
    set("type", list(q.type));
    set("kind", list(q.kind));
    set("matter", q.matter);
    set("state", list(q.state));
    set("year", list(q.year));
    return `/search?${pairs.join("&")}`;
  }
  const c = query as SavedCalendarFilter;
  set("matter", list(c.matter));
  set("state", list(c.state));
  set("kind", list(c.kind));
  if (c.mine) set("mine", "true");
  return pairs.length ? `/calendar?${pairs.join("&")}` : "/calendar";
}
