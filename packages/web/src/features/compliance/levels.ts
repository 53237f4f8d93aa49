import { TOPIC_LABELS, type Topic } from "@accord/domain";
import { formatDate } from "../../lib/dates";

/** A level of a matter's scale, as the API answers it. */
export interface Level {
  code: string;
  label: string;
  normalized: number | null;
  full: boolean;
  rated: boolean;
}

/**
 * The colour of a level, from its place on the common scale, so that every scale reads the same:
 * grey for "not rated", red for none, orange, yellow and lime on the way, teal at full compliance.
 */
export function levelColor(level: Pick<Level, "normalized" | "full" | "rated"> | undefined): string {
  if (!level?.rated || level.normalized === null) return "gray.5";
  if (level.full || level.normalized >= 1) return "teal.6";
  if (level.normalized <= 0) return "red.6";
  if (level.normalized < 0.45) return "orange.6";
  if (level.normalized < 0.75) return "yellow.6";
  return "lime.6";
}

/** Mantine's colour name without its shade ("teal.6" → "teal"), for badges. */
export const colorName = (c: string) => c.split(".")[0] ?? c;

export function levelLabel(levels: readonly Level[], code: string | null | undefined): string {
  if (!code) return "Not rated";
  return levels.find((l) => l.code === code)?.label ?? code;
}

/** A share (0–1) as a percentage, one decimal when small. */
export function pct(share: number | null | undefined): string {
  if (share === null || share === undefined) return "—";
  const p = share * 100;
  return `${p !== 0 && Math.abs(p) < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

export const topicLabel = (t: string) => TOPIC_LABELS[t as Topic] ?? t.replaceAll("_", " ");

export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The first-level section's number, from "V. Use of Force". */
export const sectionNumber = (section: string) => section.split(". ")[0]?.trim() ?? section;

/** Where a provision's page lives (the provisions screens own it). */
export const provisionPath = (matterSlug: string, p: number | { number: number | null; label: string }) =>
  `/matters/${matterSlug}/provisions/${typeof p === "number" ? p : (p.number ?? encodeURIComponent(p.label))}`;

/** Long dates for prose: "20 February 2026". */
export const longDate = (date: string | null | undefined): string => formatDate(date);
