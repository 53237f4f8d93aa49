/**
 * The outline case (issue 14): how long `parseOutlineText` takes on a generated 500-page agreement
 * in full outline numbering (target under 2 s), and how long `readRatings` takes to read the
 * Fulton County monitor's second report, 355 pages, into ratings (target under 10 s).
 *
 * The agreement is generated deterministically (a seeded draw, the same text every run): roman
 * sections › capital subsections, both headings with titles › arabic paragraphs restarting in each
 * subsection › lower-case items › (roman) sub-items, wrapped at 70 characters, in pages of
 * LINES_PER_PAGE lines that each carry the court's page stamp on top and a bare page number at the
 * foot, as an OCR'd court filing does. Each input is read BENCH_OUTLINE_RUNS times (default 5)
 * after one untimed run; the figures are milliseconds: the median (p50) and slowest wall-clock
 * runs, and the median CPU time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseOutlineText, RATING_WORDINGS, readRatings } from "@accord/domain";
import { int, pick, prng, type Rand } from "../generate/random.js";

const LINES_PER_PAGE = 40;
const ROMANS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split(" ");
/** Capitals A–H only: "I." under a roman section would be a second roman I to a reader too. */
const CAPITALS = "ABCDEFGH";
const LOWER = "abcd";
const PAREN_ROMAN = ["i", "ii", "iii"];
const WORDS =
  "the city shall ensure that officers report each use of force within days and the monitor will review policies training supervision data complaints community engagement searches stops arrests records audit department".split(
    " ",
  );
const TITLE_WORDS = [
  "use",
  "of",
  "force",
  "training",
  "community",
  "engagement",
  "data",
  "stops",
  "searches",
];

export interface OutlineBench {
  runs: number;
  agreement: {
    pages: number;
    nodesWritten: number;
    nodesFound: number;
    p50: number;
    max: number;
    cpuP50: number;
  };
  report: { file: string; pages: number; ratingsFound: number; p50: number; max: number; cpuP50: number };
  targetMs: { agreement: number; report: number };
}

function sentence(r: Rand): string {
  const words = Array.from({ length: int(r, 8, 22) }, () => pick(r, WORDS));
  return `${words.join(" ").replace(/^./, (c) => c.toUpperCase())}.`;
}

const wrap = (marker: string, text: string) => {
  const lines = text.match(/.{1,70}(\s|$)/g)!.map((l) => l.trim());
  return [`${marker} ${lines[0]}`, ...lines.slice(1)];
};

/** An outline-numbered agreement of `pageCount` pages; `nodes` is how many provisions it numbers. */
export function outlineAgreement(pageCount: number, seed = 14) {
  const r = prng(seed);
  const body: string[] = [];
  let nodes = 0;
  // Room left for one more node (a paragraph wraps to at most six lines): no page past pageCount.
  const full = () => body.length >= pageCount * LINES_PER_PAGE - 6;
  for (let section = 1; !full(); section++) {
    const title = Array.from({ length: int(r, 1, 4) }, () => pick(r, TITLE_WORDS)).join(" ");
    body.push(`${ROMANS[(section - 1) % ROMANS.length]}. ${title.toUpperCase()}`);
    nodes++;
    for (const capital of CAPITALS) {
      if (full()) break;
      body.push(`${capital}. ${pick(r, TITLE_WORDS).toUpperCase()} ${pick(r, TITLE_WORDS).toUpperCase()}`);
      nodes++;
      const paragraphs = int(r, 20, 30);
      for (let p = 1; p <= paragraphs && !full(); p++) {
        body.push(...wrap(`${p}.`, `${sentence(r)} ${sentence(r)}`));
        nodes++;
        const items = r() < 0.4 ? int(r, 1, LOWER.length) : 0;
        for (let i = 0; i < items && !full(); i++) {
          body.push(...wrap(`${LOWER[i]}.`, sentence(r)));
          nodes++;
          const subs = r() < 0.3 ? int(r, 1, PAREN_ROMAN.length) : 0;
          for (let k = 0; k < subs && !full(); k++) {
            body.push(...wrap(`(${PAREN_ROMAN[k]})`, sentence(r)));
            nodes++;
          }
        }
      }
    }
  }
  const total = Math.ceil(body.length / LINES_PER_PAGE);
  const pages: string[] = [];
  for (let p = 0; p < total; p++) {
    pages.push(
      [
        `Case 3:26-cv-00014-ABC-DEF Document 12-1 Filed 03/02/26 Page ${p + 1} of ${total}`,
        ...body.slice(p * LINES_PER_PAGE, (p + 1) * LINES_PER_PAGE),
        "",
        `${p + 1}`,
        "",
      ].join("\n"),
    );
  }
  return { text: pages.join("\n"), pages: total, nodes };
}

/** Wall-clock figures, and the median CPU time: on a machine shared with other work it shows the parser's own cost. */
function time<T>(run: () => T, runs: number) {
  let result = run();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = run();
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  const median = (xs: number[]) => round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  return { result, p50: median(ms), max: round(Math.max(...ms)), cpuP50: median(cpu) };
}

export function benchOutline(rootDir: string): OutlineBench {
  const runs = Number(process.env.BENCH_OUTLINE_RUNS ?? 5);
  const pageCount = Number(process.env.BENCH_OUTLINE_PAGES ?? 500);
  const agreement = outlineAgreement(pageCount);
  const parsed = time(() => parseOutlineText(agreement.text), runs);
  const file = "data/documents/monitor_report_2_doc18-1_2026-02-20.txt";
  const report = readFileSync(join(rootDir, file), "utf8");
  const read = time(() => readRatings(report, RATING_WORDINGS["provision-blocks"]), runs);
  return {
    runs,
    agreement: {
      pages: agreement.pages,
      nodesWritten: agreement.nodes,
      nodesFound: parsed.result.nodes.length,
      p50: parsed.p50,
      max: parsed.max,
      cpuP50: parsed.cpuP50,
    },
    report: {
      file,
      pages: report.split("\f").filter((p) => p.trim()).length,
      ratingsFound: read.result.items.length,
      p50: read.p50,
      max: read.max,
      cpuP50: read.cpuP50,
    },
    targetMs: { agreement: 2000, report: 10_000 },
  };
}
