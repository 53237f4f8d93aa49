import {
  type CycleStatus,
  type RatingLevel,
  RECOMMENDATION_LABELS,
  type Recommendation,
  type ReviewStatus,
} from "@accord/domain";

/*
 * The review's colours, in Mantine's named colours like the rest of the app's palette: a status
 * and a rating tone read the same on the board, the matrix and the review.
 */

export const REVIEW_STATUS_COLORS: Record<ReviewStatus, string> = {
  not_started: "gray",
  draft: "blue",
  submitted: "violet",
  returned: "orange",
  approved: "teal",
};

export const CYCLE_STATUS_COLORS: Record<CycleStatus, string> = {
  draft: "gray",
  active: "blue",
  closed: "teal",
};

export type Tone = RatingLevel["tone"];

export const TONE_COLORS: Record<Tone, string> = {
  good: "teal",
  neutral: "yellow",
  bad: "red",
  none: "gray",
};

/** A mark beside the colour, so the tone does not rest on colour alone. */
export const TONE_MARKS: Record<Tone, string> = {
  good: "+",
  neutral: "=",
  bad: "−",
  none: "∅",
};

export function recommendationLabel(r: string | null | undefined): string {
  if (!r || r === "none") return "No recommendation yet";
  return RECOMMENDATION_LABELS[r as Recommendation] ?? r;
}

export function levelOf(scale: readonly RatingLevel[], code: string | null | undefined): RatingLevel | null {
  if (!code) return null;
  return scale.find((l) => l.code === code) ?? null;
}

export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** A due date that has passed: "2017-06" is due until the end of June 2017. */
export function isPastDue(dueOn: string | null | undefined, today = new Date().toISOString().slice(0, 10)) {
  return Boolean(dueOn) && `${dueOn}~` < today;
}
