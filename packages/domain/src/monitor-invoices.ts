import { parseCsv } from "./csv.js";
import { monthNumber } from "./partial-date.js";

/*
 * A monitoring team's monthly invoices as The Baltimore Banner extracted them from the PDFs the
 * court published: one table per invoice (a row per person: hours, billed hours, pro bono hours,
 * services billed, expenses billed; then a Total row), the PDF's path in the last column. The
 * extraction is raw: the header row repeats on every page, its quoted cells hold line breaks
 * ("Total\nServices\nBilled"), amounts are written "$1,234.50", narrative pages come through as
 * rows of one or two cells, one invoice (January 2023) spreads its cells over 17 columns, and a few
 * invoices were extracted twice. Pure: no I/O.
 */

/** What one invoice billed. */
export interface MonitorInvoice {
  /** The PDF's file name, as the extraction names it. */
  document: string;
  /** The month billed, YYYY-MM. */
  month: string;
  services: number;
  expenses: number;
  /** Rows of people (and firms) billed. */
  rows: number;
  /** The amounts are the invoice's own Total row (else the sum of its rows). */
  fromTotalRow: boolean;
  /** The month the table's header names, when it names another than the file (null otherwise). */
  headerMonth: string | null;
}

/**
 * An amount as the invoices write it: "$1,234.50", "$3948.00", "1010.5", "0". Null for anything
 * else (an extraction slip such as "$23.227.50" is not guessed at).
 */
export function parseDollars(cell: string): number | null {
  const s = cell.trim().replace(/^\$/, "");
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(s)) return null;
  return Number(s.replaceAll(",", ""));
}

const isNumber = (cell: string) => /^\d+(\.\d+)?$/.test(cell.trim());
/** A month's index (0–11) from its name in any case; -1 if none. */
const monthIndex = (word: string) => monthNumber(word) - 1;

/**
 * The month an invoice bills, read from its file name ("September+Omnibus+Invoice+2018.pdf",
 * "_June+2022+Invoice+Package_FINAL.pdf", "June2021.pdf"): the first month name and the first
 * year in it. Null when the name holds either not.
 */
export function invoiceMonth(fileName: string): string | null {
  const words = fileName.toLowerCase().match(/[a-z]+/g) ?? [];
  const month = words.map(monthIndex).find((i) => i >= 0);
  const year = fileName.match(/(?<!\d)(20\d\d)(?!\d)/)?.[1];
  return month === undefined || !year ? null : `${year}-${String(month + 1).padStart(2, "0")}`;
}

/** A header row: it names the hours and the amounts billed (its cells may hold line breaks). */
const isHeader = (cells: readonly string[]) => {
  const text = cells.join(" ").replace(/\s+/g, " ");
  return /\bHours\b/.test(text) && /\bBilled\b/.test(text);
};

/**
 * The invoices of a raw extraction file, in the order they first appear; tables of one PDF
 * (several pages, header repeated) are one invoice. A PDF with no table (narrative pages only)
 * yields none. The amounts are the invoice's Total row when it has one with amounts, else the
 * sum of its rows; `unreadable` names the rows whose amounts could not be read.
 */
export function parseMonitorInvoices(text: string): {
  invoices: MonitorInvoice[];
  unreadable: { row: number; document: string; cells: string[] }[];
} {
  interface Acc {
    document: string;
    month: string | null;
    headerMonth: string | null;
    services: number;
    expenses: number;
    rows: number;
    total: { services: number; expenses: number } | null;
  }
  const byPath = new Map<string, Acc>();
  const unreadable: { row: number; document: string; cells: string[] }[] = [];
  parseCsv(text).forEach((row, i) => {
    if (row.length < 2) return;
    const path = row[row.length - 1]!.trim();
    const document = path.split("/").pop() ?? path;
    // Cells of the 17-column layout are spread out with empty ones between: keep the filled ones.
    const cells = row
      .slice(0, -1)
      .map((c) => c.trim())
      .filter((c) => c !== "");
    let acc = byPath.get(path);
    const open = () => {
      if (!acc) {
        acc = {
          document,
          month: invoiceMonth(document),
          headerMonth: null,
          services: 0,
          expenses: 0,
          rows: 0,
          total: null,
        };
        byPath.set(path, acc);
      }
      return acc;
    };
    if (isHeader(cells)) {
      const named = (row[0] ?? "").trim().split(/\s+/)[0] ?? "";
      if (monthIndex(named) >= 0) open().headerMonth ??= named;
      return;
    }
    if (cells.length !== 6) return; // narrative pages, the header's second line
    const [name, ...rest] = cells as [string, string, string, string, string, string];
    const services = parseDollars(rest[3]);
    const expenses = parseDollars(rest[4]);
    if (/^total$/i.test(name)) {
      if (services !== null && expenses !== null) open().total = { services, expenses };
      return;
    }
    if (!rest.slice(0, 3).every(isNumber)) return;
    const a = open();
    a.rows++;
    if (services === null || expenses === null) {
      unreadable.push({ row: i + 1, document, cells });
      return;
    }
    a.services += services;
    a.expenses += expenses;
  });
  const invoices: MonitorInvoice[] = [];
  for (const a of byPath.values()) {
    if (!a.rows && !a.total) continue;
    const headerMonthIndex = a.headerMonth ? monthIndex(a.headerMonth) : -1;
    const month =
      a.month ??
      (headerMonthIndex >= 0 && /(?<!\d)(20\d\d)(?!\d)/.test(a.document)
        ? `${a.document.match(/(?<!\d)(20\d\d)(?!\d)/)![1]}-${String(headerMonthIndex + 1).padStart(2, "0")}`
        : null);
    if (!month) continue;
    const amounts = a.total ?? { services: round2(a.services), expenses: round2(a.expenses) };
    invoices.push({
      document: a.document,
      month,
      ...amounts,
      rows: a.rows,
      fromTotalRow: a.total !== null,
      headerMonth:
        headerMonthIndex >= 0 && Number(month.slice(5)) !== headerMonthIndex + 1 ? a.headerMonth : null,
    });
  }
  return { invoices, unreadable };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The invoices of a tidy file (one row per person and month: total_services_billed,
 * total_expenses_billed, year, month, pdf_name), summed by month.
 */
export function parseTidyMonitorInvoices(text: string): MonitorInvoice[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const col = (name: string) => header.findIndex((h) => h.trim() === name);
  const [services, expenses, year, month, pdf] = [
    col("total_services_billed"),
    col("total_expenses_billed"),
    col("year"),
    col("month"),
    col("pdf_name"),
  ];
  const byMonth = new Map<string, MonitorInvoice>();
  for (const r of rows) {
    const m = `${(r[year] ?? "").trim()}-${(r[month] ?? "").trim().padStart(2, "0")}`;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) continue;
    const inv = byMonth.get(m) ?? {
      document: (r[pdf] ?? "").trim(),
      month: m,
      services: 0,
      expenses: 0,
      rows: 0,
      fromTotalRow: false,
      headerMonth: null,
    };
    inv.services = round2(inv.services + (parseDollars(r[services] ?? "") ?? 0));
    inv.expenses = round2(inv.expenses + (parseDollars(r[expenses] ?? "") ?? 0));
    inv.rows++;
    byMonth.set(m, inv);
  }
  return [...byMonth.values()];
}

/** One month's monitoring cost: what its invoice billed, services and expenses. */
export interface MonthlyMonitoringCost extends MonitorInvoice {
  total: number;
  /** Other extractions of the same invoice (same month, same amounts), counted once. */
  duplicates: string[];
}

/**
 * One cost a month, oldest first. An invoice extracted twice (same month, same amounts) counts
 * once; two invoices of one month with different amounts are an error naming both, never summed
 * or picked between.
 */
export function monthlyMonitoringCosts(invoices: readonly MonitorInvoice[]): MonthlyMonitoringCost[] {
  const byMonth = new Map<string, MonthlyMonitoringCost>();
  for (const inv of invoices) {
    const seen = byMonth.get(inv.month);
    if (!seen) {
      byMonth.set(inv.month, { ...inv, total: round2(inv.services + inv.expenses), duplicates: [] });
      continue;
    }
    if (seen.services !== inv.services || seen.expenses !== inv.expenses)
      throw new Error(
        `Two invoices bill ${inv.month} with different amounts: ${seen.document} and ${inv.document}`,
      );
    seen.duplicates.push(inv.document);
  }
  return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
}
