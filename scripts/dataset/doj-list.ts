/**
 * The DOJ Civil Rights Division's list of all authorized 14141 investigations as of 2014-07-02
 * (the PDF's text as `pdftotext -layout` gives it), matched to the Marshall Project rows.
 */
import { type StateCode, US_STATE_CODES } from "@accord/domain";
import type { MarshallRow } from "./marshall.js";
import { cmp, yearOf } from "./shared.js";

export const DOJ_LIST_CITATION =
  "DOJ Civil Rights Division, list of all authorized 14141 law-enforcement investigations, as of 2014-07-02";

export interface DojListEntry {
  name: string;
  closed: string | null;
  status: string;
  city: string;
  state: StateCode;
  yearEntered: number | null;
}

const DOJ_STATUS_CELL =
  /^(closed without agreement|consent decree(\/moa)?|moa(\/letter agreement)?|resolving litigation|findings letter issued|ta letter issued\/investigation|investigation|litigation)$/i;

/**
 * The list is a three-page table whose cells wrap over several lines. Every record has exactly
 * one line that ends with its state code (and the year a decree or MOA was entered); wrapped
 * name and status fragments come on the lines before it. Cells are separated by 2+ spaces.
 */
export function parseDojList(text: string): DojListEntry[] {
  const entries: DojListEntry[] = [];
  let nameParts: string[] = [];
  let statusParts: string[] = [];
  let closed: string | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/\f/g, "").replace(/\s+$/, "");
    if (line.trim() === "" || /Matter\/Case Name/.test(line)) continue;
    const date = /(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(line);
    if (date) {
      closed = `${date[3]}-${(date[1] as string).padStart(2, "0")}-${(date[2] as string).padStart(2, "0")}`;
      line = line.replace(date[0], "  ");
    }
    const tail = /\s([A-Z]{2})(?:\s+(\d{4}))?$/.exec(line);
    const isStateLine = !!tail && (US_STATE_CODES as readonly string[]).includes(tail[1] as string);
    if (isStateLine && tail) line = line.slice(0, tail.index);
    const cells = line
      .trim()
      .split(/\s{2,}/)
      .filter((c) => c !== "" && c !== "Text");
    let city = "";
    if (isStateLine) city = cells.pop() ?? "";
    for (const cell of cells) (DOJ_STATUS_CELL.test(cell) ? statusParts : nameParts).push(cell);
    if (isStateLine && tail) {
      entries.push({
        name: nameParts.join(" ").replace(/\s+,/g, ","),
        closed,
        status: statusParts.join(" "),
        city,
        state: tail[1] as StateCode,
        yearEntered: tail[2] ? Number(tail[2]) : null,
      });
      nameParts = [];
      statusParts = [];
      closed = null;
    }
  }
  return entries;
}

/** A name for matching: upper case, without punctuation. */
export function normaliseName(name: string): string {
  return name
    .toUpperCase()
    .replace(/['’.,;()]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Which Marshall row each list entry is (name + state; ties broken by dates; Ferguson by city). */
export function matchDojList(entries: DojListEntry[], rows: MarshallRow[]): Map<MarshallRow, DojListEntry> {
  const out = new Map<MarshallRow, DojListEntry>();
  for (const e of entries) {
    let candidates = rows.filter(
      (r) => r.state === e.state && normaliseName(r.name) === normaliseName(e.name),
    );
    if (candidates.length === 0) {
      // The list names one investigation only by its city ("Ferguson").
      const byCity = rows.filter(
        (r) =>
          r.state === e.state &&
          normaliseName(r.city) === normaliseName(e.city) &&
          normaliseName(e.name) === normaliseName(e.city),
      );
      candidates = byCity;
    }
    if (candidates.length > 1 && e.closed) candidates = candidates.filter((r) => r.closed === e.closed);
    if (candidates.length > 1 && e.yearEntered)
      candidates = candidates.filter((r) => yearOf(r.agreement) === e.yearEntered);
    if (candidates.length > 1) {
      // Still open in 2014 (findings letter, investigation): the most recent investigation.
      candidates = [...candidates].sort((a, b) => cmp(b.start ?? "", a.start ?? "")).slice(0, 1);
    }
    const row = candidates[0];
    if (!row) continue;
    if (out.has(row)) throw new Error(`Two DOJ list entries match ${row.key}`);
    out.set(row, e);
  }
  return out;
}
