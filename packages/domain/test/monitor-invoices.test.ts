import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  invoiceMonth,
  monthlyMonitoringCosts,
  parseDollars,
  parseMonitorInvoices,
  parseTidyMonitorInvoices,
} from "../src/monitor-invoices.js";

// Rows as they are in data/monitoring/baltimore_monitor_billing/ (2017-2018.csv, 2019-2023.csv):
// the header repeated on the invoice's second page, quoted headers with line breaks, "$1,234.50",
// an amount without its comma, a quoted name with a line break, a Total row left empty at a page
// break, a narrative page, the 17-column layout of January 2023.
const DEC_2017 = "data/pdfs/pages-3-4/2017/December+2017+Omibus+Invoice.compressed.pdf";
const JAN_2023 = "data/pdfs/page-4/2023/January+2023.pdf";
const SEPT_2021 = "data/pdfs/page-4/2021/September+2021+Invoice+Package(53700610.1).pdf";
const RAW = [
  `December,"Total\nHours",Billed Hours,"Pro Bono\nHours","Total\nServices\nBilled","Total\nExpenses\nBilled",${DEC_2017}`,
  `Thompson,33.9,24.7,9.2,"$11,732.50",$0.00,${DEC_2017}`,
  `Aden,29,24.5,4.5,"$5,757.50",$57.78,${DEC_2017}`,
  `Total,,,,,,${DEC_2017}`,
  `December,Total Hours,Billed Hours,"Pro Bono\nHours","Total\nServices\nBilled","Total\nExpenses\nBilled",${DEC_2017}`,
  `Bowman,37.3,27,10.3,$3948.00,$0.00,${DEC_2017}`,
  `"BCMC\n(Staff)",63.35,0,63.35,$0.00,$0.00,${DEC_2017}`,
  `TOTAL,163.55,76.2,87.35,"$21,438.00",$57.78,${DEC_2017}`,
  `"",${"data/pdfs/page-4/2019/May+2019+Omnibus+Invoice+Part+2.pdf"}`,
  `"Tucson International Airport\n0.1 mi",${"data/pdfs/page-4/2019/May+2019+Omnibus+Invoice+Part+2.pdf"}`,
  `January 2023,,Total,,,Billed,,,Pro Bono,,,Total Services,,,Total Expenses,,${JAN_2023}`,
  `,,Hours,,,Hours,,,Hours,,,Billed,,,Billed,,${JAN_2023}`,
  `Thompson,64.0,,,49.2,,,14.8,,,"$23,370.00",,,$0.00,,,${JAN_2023}`,
  `Morgan State,0.0,,,0.0,,,0.0,,,$0.00,,,"$113,907.59",,,${JAN_2023}`,
  `Total,64.0,,,49.2,,,14.8,,,"$23,370.00",,,"$113,907.59",,,${JAN_2023}`,
  `August,"Total\nHours","Billed\nHours","Pro Bono\nHours","Total Services\nBilled","Total Expenses\nBilled",${SEPT_2021}`,
  `Aden,10,10,0,"$2,350.00",$0.00,${SEPT_2021}`,
  `Total,10,10,0,"$2,350.00",$0.00,${SEPT_2021}`,
].join("\n");

describe("the monitoring team's invoices", () => {
  it("reads amounts as the invoices write them, and refuses an extraction slip", () => {
    expect(parseDollars("$1,234.50")).toBe(1234.5);
    expect(parseDollars("$3948.00")).toBe(3948);
    expect(parseDollars("1010.5")).toBe(1010.5);
    expect(parseDollars("$0.00")).toBe(0);
    expect(parseDollars("$23.227.50")).toBeNull();
    expect(parseDollars("$1,23")).toBeNull();
    expect(parseDollars("")).toBeNull();
  });

  it("takes the month from the invoice's file name", () => {
    expect(invoiceMonth("21525689-v1-September+Omnibus+Invoice+2018.pdf")).toBe("2018-09");
    expect(invoiceMonth("20110105-v1-February+Omnibus+Invoice+2018.pdf")).toBe("2018-02");
    expect(invoiceMonth("June2021.pdf")).toBe("2021-06");
    expect(invoiceMonth("October+2019+Invoice+Package(48085011.1).pdf")).toBe("2019-10");
    expect(invoiceMonth("Invoice+Package.pdf")).toBeNull();
  });

  it("reads one invoice per PDF across repeated headers, page breaks and both layouts", () => {
    const { invoices, unreadable } = parseMonitorInvoices(RAW);
    expect(unreadable).toEqual([]);
    expect(invoices).toEqual([
      {
        document: "December+2017+Omibus+Invoice.compressed.pdf",
        month: "2017-12",
        services: 21438,
        expenses: 57.78,
        rows: 4,
        fromTotalRow: true,
        headerMonth: null,
      },
      {
        document: "January+2023.pdf",
        month: "2023-01",
        services: 23370,
        expenses: 113907.59,
        rows: 2,
        fromTotalRow: true,
        headerMonth: null,
      },
      {
        document: "September+2021+Invoice+Package(53700610.1).pdf",
        month: "2021-09",
        services: 2350,
        expenses: 0,
        rows: 1,
        fromTotalRow: true,
        // The table says August; the file says September: kept, and said.
        headerMonth: "August",
      },
    ]);
  });

  it("sums the rows of an invoice with no Total row, and names a row it cannot read", () => {
    const path = "data/pdfs/pages-3-4/2018/October+2018+Invoice+pgs++1-91+(1)-compressed.pdf";
    const { invoices, unreadable } = parseMonitorInvoices(
      [
        `October,"Total\nHours",Billed Hours,"Pro Bono\nHours","Total\nServices\nBilled","Total\nExpenses\nBilled",${path}`,
        `Thompson,10,10,0,"$1,000.50",$5.25,${path}`,
        `Rosenthal,69.3,48.9,20.4,$23.227.50,$0.00,${path}`,
        `Aden,1,1,0,$99.50,$0.00,${path}`,
      ].join("\r\n"),
    );
    expect(invoices).toEqual([
      expect.objectContaining({ month: "2018-10", services: 1100, expenses: 5.25, fromTotalRow: false }),
    ]);
    expect(unreadable).toEqual([
      expect.objectContaining({ row: 3, cells: expect.arrayContaining(["$23.227.50"]) }),
    ]);
  });

  it("sums the hand transcription by month", () => {
    const tidy = [
      "\uFEFFentity_person,total_hours,billed_hours,pro_bono_hours,total_services_billed,total_expenses_billed,year,month,month_name,pdf_name",
      "Thompson,55.5,46.8,8.7,22230,0,2017,10,october,BPD+Oct-Nov+2017",
      "Bowman,18.3,14.5,3.8,3407.5,1009.25,2017,10,october,BPD+Oct-Nov+2017",
      "Aden,68.6,47.6,21,11186,226.18,2017,11,november,BPD+Oct-Nov+2017",
    ].join("\n");
    expect(parseTidyMonitorInvoices(tidy).map((i) => [i.month, i.services, i.expenses, i.rows])).toEqual([
      ["2017-10", 25637.5, 1009.25, 2],
      ["2017-11", 11186, 226.18, 1],
    ]);
  });

  it("counts an invoice extracted twice once, and refuses two different invoices of one month", () => {
    const base = {
      month: "2019-10",
      services: 10,
      expenses: 1,
      rows: 1,
      fromTotalRow: true,
      headerMonth: null,
    };
    const costs = monthlyMonitoringCosts([
      { ...base, document: "a.pdf" },
      { ...base, document: "b.pdf" },
    ]);
    expect(costs).toEqual([expect.objectContaining({ total: 11, document: "a.pdf", duplicates: ["b.pdf"] })]);
    expect(() =>
      monthlyMonitoringCosts([
        { ...base, document: "a.pdf" },
        { ...base, document: "c.pdf", services: 12 },
      ]),
    ).toThrow(/2019-10.*a\.pdf and c\.pdf/);
  });
});

// ---------------------------------------------------------------- property tests

const MONTH_NAMES =
  "January February March April May June July August September October November December".split(" ");
/** Cents, so that sums are exact. */
const cents = fc.integer({ min: 0, max: 50_000_000 });
const person = fc.record({
  // A person's name, never the word a Total row begins with.
  name: fc.stringMatching(/^[A-Z][a-z]{1,10}( \([A-Z][a-z]{1,6}\))?$/).filter((n) => !/^total\b/i.test(n)),
  hours: fc.integer({ min: 0, max: 3000 }),
  services: cents,
  expenses: cents,
});
const invoiceArb = fc.record({
  year: fc.integer({ min: 2017, max: 2030 }),
  month: fc.integer({ min: 0, max: 11 }),
  people: fc.array(person, { minLength: 1, maxLength: 25 }),
  /** Where the table breaks onto a new page: the header again. */
  breaks: fc.array(fc.integer({ min: 1, max: 24 }), { maxLength: 3 }),
  withTotal: fc.boolean(),
  /** How each header cell breaks its words over lines. */
  headerBreaks: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  crlf: fc.boolean(),
});

/** An amount as the invoices write it: "$1,234.50", sometimes without its comma. */
function dollars(c: number, withComma: boolean): string {
  const whole = Math.floor(c / 100);
  const text = withComma ? whole.toLocaleString("en-US") : String(whole);
  const s = `$${text}.${String(c % 100).padStart(2, "0")}`;
  return s.includes(",") ? `"${s}"` : s;
}

const HEADER_WORDS = [
  ["Total", "Hours"],
  ["Billed", "Hours"],
  ["Pro", "Bono", "Hours"],
  ["Total", "Services", "Billed"],
  ["Total", "Expenses", "Billed"],
];

type GeneratedInvoice = typeof invoiceArb extends fc.Arbitrary<infer T> ? T : never;

function render(inv: GeneratedInvoice, commas: boolean): string {
  const path = `data/pdfs/page-4/${inv.year}/${MONTH_NAMES[inv.month]}+${inv.year}+Invoice+Package.pdf`;
  const header = [
    MONTH_NAMES[inv.month],
    ...HEADER_WORDS.map((w, i) => (inv.headerBreaks[i] ? `"${w.join("\n")}"` : w.join(" "))),
    path,
  ].join(",");
  const lines = [header];
  inv.people.forEach((p, i) => {
    if (inv.breaks.includes(i)) lines.push(header);
    const name = p.name.includes(" ") ? `"${p.name.replace(" ", "\n")}"` : p.name;
    lines.push(
      [
        name,
        p.hours / 10,
        p.hours / 10,
        0,
        dollars(p.services, commas),
        dollars(p.expenses, commas),
        path,
      ].join(","),
    );
  });
  const services = inv.people.reduce((s, p) => s + p.services, 0);
  const expenses = inv.people.reduce((s, p) => s + p.expenses, 0);
  if (inv.withTotal)
    lines.push(["Total", 0, 0, 0, dollars(services, commas), dollars(expenses, commas), path].join(","));
  return lines.join(inv.crlf ? "\r\n" : "\n");
}

describe("the invoice parser, on generated invoices", () => {
  it("finds each invoice's month and its amounts to the cent, whatever its headers and page breaks", () => {
    fc.assert(
      fc.property(fc.array(invoiceArb, { minLength: 1, maxLength: 6 }), fc.boolean(), (invs, commas) => {
        // One invoice a month, as the files have.
        const unique = [...new Map(invs.map((i) => [`${i.year}-${i.month}`, i])).values()];
        const text = unique.map((i) => render(i, commas)).join("\n");
        const { invoices, unreadable } = parseMonitorInvoices(text);
        expect(unreadable).toEqual([]);
        expect(invoices).toHaveLength(unique.length);
        unique.forEach((inv, k) => {
          const got = invoices[k]!;
          expect(got.month).toBe(`${inv.year}-${String(inv.month + 1).padStart(2, "0")}`);
          expect(Math.round(got.services * 100)).toBe(inv.people.reduce((s, p) => s + p.services, 0));
          expect(Math.round(got.expenses * 100)).toBe(inv.people.reduce((s, p) => s + p.expenses, 0));
          expect(got.rows).toBe(inv.people.length);
          expect(got.fromTotalRow).toBe(inv.withTotal);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("reads any amount written with or without its thousands commas", () => {
    fc.assert(
      fc.property(cents, fc.boolean(), (c, comma) => {
        const cell = dollars(c, comma).replaceAll('"', "");
        expect(Math.round(parseDollars(cell)! * 100)).toBe(c);
      }),
    );
  });
});
