/** The Marshall Project's table of DOJ 14141 investigations (themarshallproject/doj14141, June 2018). */
import {
  isValidPartialDate,
  type MatterKind,
  parseCsvRecords,
  type Source,
  type StateCode,
} from "@accord/domain";
import { must, stateCode, yearOf } from "./shared.js";

export const MARSHALL_AS_OF = "as of the Marshall Project table, June 2018";

/** Marshall dates: M/D/YY; 94-99 → 19xx, 00-18 → 20xx; the 1st of a month means month only. */
export function parseMarshallDate(raw: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const [, mo, d, yy] = m as unknown as [string, string, string, string];
  const y2 = Number(yy);
  let year: number;
  if (y2 >= 94) year = 1900 + y2;
  else if (y2 <= 18) year = 2000 + y2;
  else return null;
  const month = mo.padStart(2, "0");
  const value = Number(d) === 1 ? `${year}-${month}` : `${year}-${month}-${d.padStart(2, "0")}`;
  return isValidPartialDate(value) ? value : null;
}

export interface MarshallRow {
  index: number;
  name: string;
  /** The row reference used in citations: the name, plus the start year when the name repeats. */
  key: string;
  start: string | null;
  startYear: number;
  agreement: string | null;
  closed: string | null;
  status: string;
  city: string;
  state: StateCode;
}

/** The table's rows, with each row's citation key made unique by its start year where names repeat. */
export function readMarshall(text: string): MarshallRow[] {
  const records = parseCsvRecords(text);
  const rows = records.map((r, index): MarshallRow => {
    const name = (r.matter_case_name ?? "").trim();
    const start = parseMarshallDate(r.start_date ?? "");
    const startYear = must(yearOf(start), `start year of ${name}`);
    return {
      index,
      name,
      key: name,
      start,
      startYear,
      agreement: parseMarshallDate(r.agreement_date ?? ""),
      closed: parseMarshallDate(r.closed_date ?? ""),
      status: (r.status_result ?? "").trim(),
      city: (r.incident_city ?? "").trim(),
      state: stateCode(r.incident_state ?? "", name),
    };
  });
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  for (const r of rows) if ((counts.get(r.name) ?? 0) > 1) r.key = `${r.name} (${r.startYear})`;
  return rows;
}

/** The citation of one Marshall row. */
export function marshallCitation(row: MarshallRow): Source {
  return { citation: `The Marshall Project, doj14141, data/doj_data.csv (row: ${row.key})` };
}

type MarshallOutcome =
  | { investigation: "closed_without_agreement" }
  | { investigation: "open" }
  | { investigation: "in_litigation" }
  | { investigation: "resolved_by_agreement"; agreementKind: MatterKind };

/** What a Marshall status_result says became of the investigation; throws on one it does not know. */
export function marshallOutcome(status: string): MarshallOutcome {
  const s = status.trim().toLowerCase();
  if (s === "closed without agreement") return { investigation: "closed_without_agreement" };
  if (s === "litigation") return { investigation: "in_litigation" };
  if (s === "ta letter issued/investigation" || s === "announced") return { investigation: "open" };
  if (s === "consent decree" || s === "consent decree/moa")
    return { investigation: "resolved_by_agreement", agreementKind: "consent_decree" };
  if (s === "moa" || s.startsWith("moa/letter agreement"))
    return { investigation: "resolved_by_agreement", agreementKind: "memorandum_of_agreement" };
  if (s === "settlement")
    return { investigation: "resolved_by_agreement", agreementKind: "settlement_agreement" };
  throw new Error(`Unknown Marshall status ${status}`);
}
