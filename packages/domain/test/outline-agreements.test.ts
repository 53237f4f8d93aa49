import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type OutlineNode,
  type OutlineParse,
  parseOutline,
  parseOutlineText,
} from "../src/provisions/outline.js";
import { parseDecree } from "../src/provisions/parse.js";
import { TRUTH } from "./outline-truth.js";

const read = (name: string) =>
  readFileSync(new URL(`./fixtures/agreements/${name}`, import.meta.url), "utf8");
const parse = (name: string) => parseOutlineText(read(name));
const byLabel = (p: OutlineParse, label: string): OutlineNode => {
  const n = p.nodes.find((x) => x.label === label);
  if (!n) throw new Error(`no ${label}`);
  return n;
};
const labelsWithParents = (p: OutlineParse) =>
  p.nodes.map((n) => (n.parentLabel ? `${n.label} < ${n.parentLabel}` : n.label));
/** A node's page and first words, as read in the file. */
const expectNode = (p: OutlineParse, label: string, page: number, start: string, caption?: string) => {
  const n = byLabel(p, label);
  expect({ label, page: n.page, start: n.text.slice(0, start.length) }).toEqual({ label, page, start });
  if (caption !== undefined) expect(n.caption).toBe(caption);
};
const STAMP = /Case \d:\d\d-cv|Document \d+|Page \d+ of \d+|Client: \d+|DOC: \d+/;

describe("the outline parser on real agreements (hand-checked truth)", () => {
  for (const [file, truth] of Object.entries(TRUTH)) {
    it(`gives ${file} its ${truth.length} nodes with their parents, no page stamp in any text`, () => {
      const parsed = parse(file);
      expect(labelsWithParents(parsed)).toEqual(truth);
      for (const n of parsed.nodes) expect(n.text, n.label).not.toMatch(STAMP);
    });
  }

  it("Atlanta, Exhibit A: nine numbered reforms with captions, ¶ 1's a)–h) as its children", () => {
    const p = parse("exhibit_a_reforms_2010-12-08.txt");
    expect(p.mode).toBe("continuous");
    expectNode(
      p,
      "¶ 1",
      1,
      "The City of Atlanta agrees permanently",
      "Revocation or Amendment of Unconstitutional Policies",
    );
    expectNode(p, "¶ 1(c)", 3, "Police officers may not lawfully frisk");
    expectNode(p, "¶ 1(h)", 4, "A police officer may not enter a suspect's home");
    expectNode(
      p,
      "¶ 7",
      8,
      "The Atlanta Police Department shall investigate",
      "Timely Resolution of Citizen Complaints",
    );
    expectNode(p, "¶ 9", 11, "Any non-constitutional changes", "Multi-Jurisdictional Task Force Assignments");
    // The work rules quoted in reform 8 ("4.1.03 Truthfulness") are its text, not nodes.
    expect(byLabel(p, "¶ 8").text).toContain("4.1.03 Truthfulness");
    expect(p.warnings).toEqual([]);
  });

  it("Atlanta, the order approving the settlement: no provisions", () => {
    expect(parse("order_approving_settlement_2010-12-08.txt").nodes).toEqual([]);
  });

  it("Lawson (injunctive relief): roman sections, ¶ 1–29 continuous, OCR'd II and III resolved", () => {
    const p = parse("1995-03-27_5202_injunctive-relief-agreement.txt");
    expectNode(p, "II", 3, "", "Procedures for the Use of Police Service Dogs");
    expect(byLabel(p, "II").heading).toBe(true);
    expectNode(p, "¶ 9", 3, "Warnings, as currently mandated");
    expectNode(p, "¶ 15", 4, "A bite inflicted upon a suspect");
    expectNode(p, "¶ 23(4)", 6, "~ f a,ft er sixty days");
    expect(byLabel(p, "¶ 15").parentLabel).toBe("III");
    expect(p.warnings).toEqual([
      '"11." on page 3 read as II (an OCR confusion resolved from its neighbours)',
      '"111." on page 4 read as III (an OCR confusion resolved from its neighbours)',
    ]);
  });

  it("Lawson (settlement): pleading paper, caption pages skipped, ¶ 1–24", () => {
    const p = parse("1995-03-27_5198_settlement-and-injunctive-relief-agreement.txt");
    expectNode(p, "¶ 1", 5, "The plaintiffs in this action allege");
    expectNode(p, "¶ 9", 7, "Defendants agree to pay");
    // The unnumbered heading that follows it is no part of its text.
    expect(byLabel(p, "¶ 8").text.endsWith("no satisfactory resolution has been reached.")).toBe(true);
    expect(byLabel(p, "¶ 24").text.endsWith("after the filing of such a dismissal.")).toBe(true);
  });

  it("Suffolk County: roman sections, lettered paragraphs restarting, roman and arabic sub-items", () => {
    const p = parse("agreement_2014-01-13.txt");
    expect(p.mode).toBe("restart");
    expect(p.nodes.filter((n) => n.depth === 0).map((n) => `${n.label} ${n.caption}`)).toEqual([
      "I Introduction",
      "II Definitions",
      "III Bias-free Policing",
      "IV Hate Crimes and Hate Incidents",
      "V Language Assistance",
      "VI Allegations of Police Misconduct",
      "VII Community Engagement",
      "VIII Policies and Training Generally",
      "IX Monitoring of the Agreement",
      "X General Provisions",
    ]);
    expectNode(p, "II.j", 2, '"Effective Date" is the date');
    expectNode(p, "II.l", 2, '"HCU" means');
    expectNode(p, "III.b.iv", 5, "SCPD officers who are found");
    expectNode(p, "V.a.viii", 9, "Objective oral language proficiency");
    expectNode(p, "V.a.x.8", 9, "a summary ofany action taken.");
    expectNode(p, "VII.e.vii", 16, "SCPD will collect and maintain");
    expectNode(p, "VIII.i", 18, "After issuing a Rule and Procedure");
    expectNode(p, "IX.a.i.1", 19, "has incorporated the requirement");
    expectNode(p, "X.f", 25, "Notices, documents or other information");
    expect(byLabel(p, "III.b").heading).toBe(true);
    expect(byLabel(p, "III.b").caption).toBe("Policies and procedures");
    expect(p.nodes.filter((n) => n.definition).map((n) => n.label)).toEqual(
      "abcdefghijklmnopqrstuvwx".split("").map((c) => `II.${c}`),
    );
    expect(byLabel(p, "X.f").text).not.toMatch(/LORETTA|Attorney General/);
    expect(p.warnings.filter((w) => !w.includes("OCR confusion"))).toEqual([]);
    expect(p.warnings).toContain(
      '"VB." on page 16 read as VII.e.vii (an OCR confusion resolved from its neighbours)',
    );
  });

  it("Davis 2019: lettered sections A–I, paragraphs restarting at 1 (I. read as 1.)", () => {
    const p = parse("stipulation_2019-08-01.txt");
    expectNode(p, "A.1", 4, "Plaintiffs and the City enter");
    expectNode(p, "B.21", 7, '"Substantial Compliance" for purposes');
    expectNode(p, "I.1", 12, "In the event the Court does not approve");
    expect(byLabel(p, "I.1").text).not.toMatch(/NAACP|Tel:/);
    expect(byLabel(p, "B.3").definition).toBe(true);
  });

  it("Davis 2015: sections A–T, the exhibits after the body listed and not parsed", () => {
    const p = parse("stipulation_of_settlement_2015-02-04.txt");
    expect(
      p.nodes
        .filter((n) => n.depth === 0)
        .map((n) => n.label)
        .join(""),
    ).toBe("ABCDEFGHIJKLMNOPQRST");
    expectNode(p, "B.22", 6, "Notwithstanding the foregoing");
    expectNode(p, "O.1", 14, "At any time prior to the expiration");
    expectNode(p, "T.1.b", 19, "Final Approval by the Court; or");
    expectNode(p, "T.1.e", 19, "Failure to secure the Honorable");
    expect(byLabel(p, "C.6").text).toContain("(a) Plaintiffs and the City agree");
    expect(p.exhibits.map((e) => `${e.label} p${e.page}`).slice(0, 2)).toEqual([
      "Exhibit A p21",
      "Exhibit B p61",
    ]);
    expect(p.exhibits.map((e) => e.label)).toEqual("ABCDEFGHI".split("").map((c) => `Exhibit ${c}`));
    expect(byLabel(p, "T.1.e").text.endsWith("the same as Exhibit I.")).toBe(true);
  });
});

describe("the outline parser on the Fulton County decree", () => {
  const pages = readFileSync(
    new URL(
      "../../../data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.txt",
      import.meta.url,
    ),
    "utf8",
  ).split("\f");
  it("gives its 369 paragraphs with the numbers, texts and pages of parseDecree, under their sections", () => {
    const p = parseOutline(pages);
    const old = parseDecree(pages).provisions;
    const paragraphs = p.nodes.filter((n) => n.label.startsWith("¶"));
    expect(paragraphs).toHaveLength(369);
    expect(paragraphs.map((n) => [n.label, n.page, n.text])).toEqual(
      old.map((o) => [o.label, o.page, o.text]),
    );
    expect(byLabel(p, "¶ 46").parentLabel).toBe("V.A");
    expect(byLabel(p, "¶ 46").sectionPath).toEqual([
      "Protection from Harm",
      "Policies, Procedures, and Training",
    ]);
    expect(byLabel(p, "¶ 12").definition).toBe(true);
    expect(p.warnings).toEqual([]);
  });
});
