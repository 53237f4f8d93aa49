/**
 * A matter's ratings history as a monitoring watchdog compiles it (one row per paragraph and
 * report: paragraph, title, report, level), read into what Accord keeps: the matter's scale, its
 * provisions by number and title (the agreement's text not being available), its reporting
 * periods and every rating. Pure: the server loads what this returns in one transaction.
 */
import { parseCsvRecords } from "../csv.js";
import type { SetComplianceScale } from "./compliance.js";

/** Said of a provision known only by its number and title (its text is not in any source). */
export const TEXT_NOT_AVAILABLE = "text not available";

export interface HistoryProvision {
  number: number;
  label: string;
  /** The title the source gives it; null when it gives none. */
  title: string | null;
}

export interface HistoryPeriod {
  /** The report's name, as the monitor numbers it: "IMR-1". */
  label: string;
  /** The report's number. */
  number: number;
}

export interface HistoryRating {
  number: number;
  period: string;
  /** The level's code on the matter's scale. */
  level: string;
}

export interface RatingsHistory {
  scale: SetComplianceScale;
  provisions: HistoryProvision[];
  periods: HistoryPeriod[];
  ratings: HistoryRating[];
}

/**
 * The Albuquerque CASA's scale: the Independent Monitor's three tiers (codes 1–3 of the source),
 * non-compliance (code 0) and not yet assessed. Operational compliance (policy in place, trained,
 * and followed in the field) is full compliance; the tiers between are spread evenly.
 */
export const ALBUQUERQUE_SCALE: SetComplianceScale = {
  levels: [
    { code: "not_yet_assessed", label: "Not yet assessed", normalized: null, full: false, rated: false },
    { code: "non_compliance", label: "Non-compliance", normalized: 0, full: false, rated: true },
    { code: "primary", label: "Primary compliance", normalized: 0.33, full: false, rated: true },
    { code: "secondary", label: "Secondary compliance", normalized: 0.67, full: false, rated: true },
    { code: "operational", label: "Operational compliance", normalized: 1, full: true, rated: true },
  ],
  sustainment: null,
};

/** The source's level codes (abqsmartcasa/compliance-history, src/js/constants.js) on the scale above. */
const ALBUQUERQUE_CODES: Record<string, { code: string; label: string }> = {
  "0": { code: "non_compliance", label: "Non-compliance" },
  "1": { code: "primary", label: "Primary compliance" },
  "2": { code: "secondary", label: "Secondary compliance" },
  "3": { code: "operational", label: "Operational compliance" },
};

/**
 * Reads the Albuquerque ratings history (`imr_ratings_long.csv`: casa_paragraph, paragraph_title,
 * imr_number, level_code, level). Throws on a row it cannot read (a code and its level name that
 * disagree, a paragraph with two titles, a paragraph rated twice in one report): bundled data is
 * read exactly or not at all.
 */
export function readAlbuquerqueHistory(csv: string): RatingsHistory {
  const rows = parseCsvRecords(csv).filter((r) => Object.values(r).some((v) => v.trim()));
  const provisions = new Map<number, HistoryProvision>();
  const periods = new Map<number, HistoryPeriod>();
  const ratings: HistoryRating[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const where = `row ${i + 2}`;
    const number = Number(r.casa_paragraph);
    const report = Number(r.imr_number);
    if (!Number.isInteger(number) || number < 1) throw new Error(`${where}: no paragraph number`);
    if (!Number.isInteger(report) || report < 1) throw new Error(`${where}: no report number`);
    const level = ALBUQUERQUE_CODES[r.level_code?.trim() ?? ""];
    if (!level || level.label.toLowerCase() !== r.level?.trim().toLowerCase())
      throw new Error(`${where}: level ${r.level_code} "${r.level}" is not one of the source's`);
    const title = r.paragraph_title?.trim() || null;
    const known = provisions.get(number);
    if (known && known.title !== title) throw new Error(`${where}: ¶ ${number} has two titles`);
    if (!known) provisions.set(number, { number, label: `¶ ${number}`, title });
    if (!periods.has(report)) periods.set(report, { label: `IMR-${report}`, number: report });
    const key = `${number}|${report}`;
    if (seen.has(key)) throw new Error(`${where}: ¶ ${number} is rated twice in IMR-${report}`);
    seen.add(key);
    ratings.push({ number, period: `IMR-${report}`, level: level.code });
  });
  return {
    scale: ALBUQUERQUE_SCALE,
    provisions: [...provisions.values()].sort((a, b) => a.number - b.number),
    periods: [...periods.values()].sort((a, b) => a.number - b.number),
    ratings,
  };
}
