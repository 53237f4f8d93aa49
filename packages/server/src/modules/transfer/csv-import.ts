import {
  AWARD_CSV_COLUMNS,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type Bundle,
  CONDITION_CSV_COLUMNS,
  MATTER_CSV_COLUMNS,
  parseCsv,
} from "@accord/domain";
import { AppError, appError, type FieldError } from "../../context/app-error.js";
import { parseBundle } from "./import.js";

/**
 * CSV files for `accord import`: matters, awards or conditions, one record (or, for conditions,
 * one change of status) per row. They become a bundle, validated as one: a bad row is named by its
 * line and field, and nothing is imported.
 */

const invalid = (detail: string, errors: FieldError[]) => appError("import_invalid", detail, { errors });

/** true/yes/1 or false/no/0/empty; anything else is left for validation to name. */
function parseYesNo(value: string): boolean | string {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0|)$/i.test(value)) return false;
  return value;
}

/** A number as written in a spreadsheet ("1,064,609", "$7,000,000"); anything else is left for validation. */
function parseNumber(value: string): number | string {
  const plain = value.replace(/[$,\s]/g, "");
  return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : value;
}

const splitList = (v: string) =>
  v
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);

interface CsvSpec {
  /** What the rows are, in the bundle. */
  entity: "matters" | "awards" | "conditions";
  columns: readonly string[];
  required: readonly string[];
  lists: readonly string[];
  numbers: readonly string[];
  /** Extra columns accepted and ignored (the matters export's `state`). */
  ignored?: readonly string[];
}

const SPECS = {
  matters: {
    entity: "matters",
    columns: MATTER_CSV_COLUMNS,
    required: ["slug", "kind", "status", "title", "jurisdiction"],
    lists: ["agencies"],
    numbers: [],
    ignored: ["state"],
  },
  awards: {
    entity: "awards",
    columns: AWARD_CSV_COLUMNS,
    required: ["slug", "program", "jurisdiction"],
    lists: ["matters"],
    numbers: ["fiscalYear", "amount"],
  },
  conditions: {
    entity: "conditions",
    columns: CONDITION_CSV_COLUMNS,
    required: ["slug", "jurisdiction", "program", "kind", "status", "date"],
    lists: ["matters"],
    numbers: ["fiscalYear"],
  },
} as const satisfies Record<string, CsvSpec>;

export type CsvKind = keyof typeof SPECS;

/** Which kind of CSV a header is: awards have an amount, conditions a status and a program. */
export function csvKindOf(header: readonly string[]): CsvKind {
  const names = new Set(header.map((h) => h.trim()));
  if (names.has("program") && names.has("status")) return "conditions";
  if (names.has("program")) return "awards";
  return "matters";
}

/** The rows of a CSV file as records of the spec's columns, checking the header first. */
function readRows(text: string, spec: CsvSpec): { records: Record<string, unknown>[]; lines: number[] } {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw invalid("The CSV file is empty; nothing was imported", []);
  const names = header.map((h) => h.trim());
  const missing = spec.required.filter((c) => !names.includes(c));
  if (missing.length) {
    throw invalid(
      `The CSV header lacks ${missing.join(", ")}; nothing was imported`,
      missing.map((c) => ({ path: c, message: "Missing column" })),
    );
  }
  const unknown = names.filter((n) => n && !spec.columns.includes(n) && !spec.ignored?.includes(n));
  if (unknown.length) {
    throw invalid(
      `The CSV header has unknown columns: ${unknown.join(", ")}; nothing was imported`,
      unknown.map((c) => ({ path: c, message: "Unknown column" })),
    );
  }
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  rows.forEach((r, k) => {
    if (r.every((cell) => cell.trim() === "")) return;
    const rec: Record<string, unknown> = {};
    names.forEach((n, i) => {
      if (!n || spec.ignored?.includes(n)) return;
      const v = (r[i] ?? "").trim();
      if (spec.lists.includes(n)) rec[n] = splitList(v);
      else if (n === "public") rec[n] = parseYesNo(v);
      else if (v === "") rec[n] = null;
      else rec[n] = spec.numbers.includes(n) ? parseNumber(v) : v;
    });
    records.push(rec);
    lines.push(k + 2);
  });
  return { records, lines };
}

/**
 * Validates the records as a bundle; errors name the CSV's line and field (`row 3, field amount`)
 * instead of the bundle's path. `lineOf(i, rest)` maps a bundle record (and the rest of its path)
 * to its line.
 */
function asBundle(
  entity: CsvSpec["entity"],
  records: unknown[],
  lineOf: (index: number, rest: string) => number,
): Bundle {
  try {
    return parseBundle({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION, [entity]: records });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const errors = (e.details.errors ?? []).map((fe) => {
      const m = new RegExp(`^${entity}\\.(\\d+)\\.?(.*)$`).exec(fe.path);
      if (!m) return fe;
      const rest = m[2] ?? "";
      const field = rest.replace(/^history\.\d+\.?/, "");
      return { ...fe, path: `row ${lineOf(Number(m[1]), rest)}${field ? `, field ${field}` : ""}` };
    });
    const first = errors[0];
    throw invalid(
      first ? `The CSV file is invalid at ${first.path}: ${first.message}; nothing was imported` : e.message,
      errors,
    );
  }
}

export function parseMattersCsv(text: string): Bundle {
  const { records, lines } = readRows(text, SPECS.matters);
  return asBundle("matters", records, (i) => lines[i]!);
}

export function parseAwardsCsv(text: string): Bundle {
  const { records, lines } = readRows(text, SPECS.awards);
  return asBundle("awards", records, (i) => lines[i]!);
}

/** Conditions: the rows of one slug, in file order, are its history; its fields come from its first row. */
export function parseConditionsCsv(text: string): Bundle {
  const { records, lines } = readRows(text, SPECS.conditions);
  const bySlug = new Map<string, { condition: Record<string, unknown>; lines: number[] }>();
  records.forEach((r, k) => {
    const key = String(r.slug ?? "");
    const change = { status: r.status, date: r.date, note: r.note ?? null };
    const entry = bySlug.get(key);
    if (entry) {
      (entry.condition.history as unknown[]).push(change);
      entry.lines.push(lines[k]!);
      return;
    }
    const { status: _s, date: _d, note: _n, ...fields } = r;
    bySlug.set(key, { condition: { ...fields, history: [change] }, lines: [lines[k]!] });
  });
  const entries = [...bySlug.values()];
  return asBundle(
    "conditions",
    entries.map((e) => e.condition),
    (i, rest) => {
      const change = /^history\.(\d+)/.exec(rest);
      return entries[i]!.lines[change ? Number(change[1]) : 0]!;
    },
  );
}

/** A CSV file of any of the three kinds, told apart by its header. */
export function parseCsvFile(text: string): { kind: CsvKind; bundle: Bundle } {
  const header = parseCsv(text.split(/\r?\n/, 1)[0] ?? "")[0] ?? [];
  const kind = csvKindOf(header);
  const parse = { matters: parseMattersCsv, awards: parseAwardsCsv, conditions: parseConditionsCsv }[kind];
  return { kind, bundle: parse(text) };
}
