/**
 * The parse case: how long `parseDecree` takes on a 500-page decree (issue 6: under 2 s), and on
 * the real Fulton County decree. The long decree is made from the Fulton decree's own paragraphs,
 * in its sections' order, repeated and renumbered until it fills BENCH_PARSE_PAGES pages of
 * pleading paper (a case stamp on top, line numbers down the side, a page number at the foot), so
 * the parser meets real legal prose and the cleaning work of a court filing. Each decree is parsed
 * BENCH_PARSE_RUNS times (default 5) after one untimed run; the figures are milliseconds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDecree } from "@accord/domain";

const ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"];
const LINES_PER_PAGE = 28;

export interface ParseBench {
  runs: number;
  fulton: { pages: number; provisions: number; p50: number; max: number };
  long: { pages: number; provisionsWritten: number; provisionsFound: number; p50: number; max: number };
  targetMs: number;
}

/** A decree of about `pageCount` pages from `paragraphs`, repeated in sections of 40. */
export function longDecree(paragraphs: readonly string[], pageCount: number) {
  const body: string[] = [];
  let n = 0;
  let section = 0;
  while (Math.ceil(body.length / LINES_PER_PAGE) < pageCount) {
    body.push("", `${ROMANS[section % ROMANS.length]}. REQUIREMENTS OF PART ${section + 1}`, "");
    for (let k = 0; k < 40 && Math.ceil(body.length / LINES_PER_PAGE) < pageCount; k++) {
      const text = paragraphs[n % paragraphs.length]!;
      n++;
      const lines = text.match(/.{1,70}(\s|$)/g)!.map((l) => l.trim());
      body.push(`${n}. ${lines[0]}`, ...lines.slice(1).map((l) => `    ${l}`), "");
    }
    section++;
  }
  body.push("", "IT IS SO ORDERED.", "", "____________________", "UNITED STATES DISTRICT JUDGE");
  const total = Math.ceil(body.length / LINES_PER_PAGE);
  const pages: string[] = [];
  for (let p = 0; p < total; p++) {
    const lines = body.slice(p * LINES_PER_PAGE, (p + 1) * LINES_PER_PAGE).map((l, i) => `${i + 1}  ${l}`);
    pages.push(
      [
        `Case 2:26-cv-00001 Document 7-1 Filed 01/05/26 Page ${p + 1} of ${total}`,
        "",
        ...lines,
        "",
        `${p + 1}`,
      ].join("\n"),
    );
  }
  return { pages, provisions: n };
}

function time(pages: readonly string[], runs: number) {
  parseDecree(pages);
  const ms: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    found = parseDecree(pages).provisions.length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { found, p50: round(ms[Math.floor(ms.length / 2)]!), max: round(ms.at(-1)!) };
}

export function benchParse(rootDir: string): ParseBench {
  const runs = Number(process.env.BENCH_PARSE_RUNS ?? 5);
  const pageCount = Number(process.env.BENCH_PARSE_PAGES ?? 500);
  const text = readFileSync(
    join(rootDir, "data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.txt"),
    "utf8",
  );
  const fultonPages = text.split("\f");
  const parsed = parseDecree(fultonPages);
  const paragraphs = parsed.provisions.filter((p) => !p.isDefinition).map((p) => p.text.replace(/\s+/g, " "));
  const fulton = time(fultonPages, runs);
  const long = longDecree(paragraphs, pageCount);
  const timed = time(long.pages, runs);
  return {
    runs,
    fulton: { pages: fultonPages.length, provisions: fulton.found, p50: fulton.p50, max: fulton.max },
    long: {
      pages: long.pages.length,
      provisionsWritten: long.provisions,
      provisionsFound: timed.found,
      p50: timed.p50,
      max: timed.max,
    },
    targetMs: 2000,
  };
}
