/**
 * The extraction case: pages per second of Accord's PDF text extraction (pdf.js in worker
 * processes, as the server runs it: a long PDF in two halves at once, page-by-page messages,
 * MinHash signature) beside
 * poppler's `pdftotext` on the same files (issue 5: within 5×; issue 18: within 3×). The files: the bundled Fulton
 * County decree (71 scanned-and-OCRed court pages), the department's 2014 list of investigations,
 * and a generated text-heavy PDF of BENCH_EXTRACT_PAGES pages (default 300) of decree prose
 * made with pdfkit. Each is read BENCH_EXTRACT_RUNS times (default 5), each time once the server's
 * warm spare workers are ready (as between uploads); the median run counts. The first document of a
 * process, which waits for pdf.js to load, is timed apart (coldStartMs). Beside the wall times, the
 * CPU time each side spent (the worker processes', all their threads: pdf.js, V8's optimising
 * compiler and garbage collector; pdftotext's), which a busy machine changes far less than wall time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PDFDocument from "pdfkit";
import {
  DEFAULT_LIMITS,
  DEFAULT_THREADS,
  runExtraction,
  spareReady,
  stopSpareWorker,
} from "../../packages/server/src/modules/documents/index.js";

export interface ExtractBench {
  runs: number;
  /** Worker processes one PDF may be read with. */
  threads: number;
  /** A 3-page PDF as the first document of a fresh process (no warm worker yet). */
  coldStartMs: number;
  files: {
    file: string;
    pages: number;
    accordMs: number;
    /** Every timed run, in order (a worker that read the previous run's file reads the next). */
    accordRunsMs: number[];
    /** Workers that read the file in the median run (2: in halves at once). */
    workers: number;
    accordPagesPerSecond: number;
    pdftotextMs: number | null;
    pdftotextPagesPerSecond: number | null;
    /** How many times slower than pdftotext. */
    ratio: number | null;
    /** CPU time of the worker processes that read the file (all of them, all their threads), median run. */
    accordCpuMs: number | null;
    /** That CPU time in every timed run, in order (a worker's first files cost the most: V8 compiles). */
    accordRunsCpuMs: number[];
    /** The busiest worker's CPU time (the one the wall time waits for when each has a core), median run. */
    accordBusiestCpuMs: number | null;
    /** pdftotext's CPU time, median of its runs. */
    pdftotextCpuMs: number | null;
    /** accordCpuMs / pdftotextCpuMs. */
    cpuRatio: number | null;
  }[];
  targetRatio: number;
  withinTarget: boolean;
}

/** The worker processes one PDF may be read with (BENCH_EXTRACT_THREADS; the server's default). */
const threads = Number(process.env.BENCH_EXTRACT_THREADS) || DEFAULT_THREADS;

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A PDF of `count` pages of the given paragraphs, in 11-point Times, as a typed filing looks. */
function prosePdf(paragraphs: readonly string[], count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    let k = 0;
    for (let p = 0; p < count; p++) {
      // A narrow bottom margin, so the page number stays on its page.
      doc.addPage({ margins: { top: 72, bottom: 36, left: 72, right: 72 } });
      const text = Array.from({ length: 3 }, () => `${k + 1}. ${paragraphs[k++ % paragraphs.length]}`).join(
        "\n\n",
      );
      doc.font("Times-Roman").fontSize(11).text(text, 72, 72, { width: 468, height: 620, ellipsis: true });
      doc.fontSize(9).text(`Page ${p + 1} of ${count}`, 72, 740);
    }
    doc.end();
  });
}

const TICK_MS = 10; // /proc times are in clock ticks of 1/100 s (USER_HZ on Linux)
/** utime + stime (fields 14 and 15 of /proc/<pid>/stat), or, with `children`, cutime + cstime: the
 * CPU time of the children it has waited for (pdftotext). */
function procCpuMs(pid: number | "self", children = false): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const at = children ? 13 : 11;
    return (Number(fields[at]) + Number(fields[at + 1])) * TICK_MS;
  } catch {
    return null;
  }
}
/** The CPU time of each child process of this one (the extraction workers, warm spares included). */
function childrenCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const task of readdirSync("/proc/self/task"))
      for (const pid of readFileSync(`/proc/self/task/${task}/children`, "utf8").split(" ").filter(Boolean)) {
        const ms = procCpuMs(Number(pid));
        if (ms !== null) out.set(Number(pid), ms);
      }
  } catch {
    // Not Linux: no CPU times.
  }
  return out;
}

async function accordMs(path: string): Promise<{
  ms: number;
  pages: number;
  workers: number;
  cpuMs: number | null;
  busiestCpuMs: number | null;
}> {
  let pages = 0;
  // The workers that read the file are spares started before (the bench waits for them): their
  // CPU time from here on. A spare started at the end of the run for the next file is not counted.
  const before = childrenCpuMs();
  const t0 = performance.now();
  const outcome = await runExtraction({ path, type: "pdf" }, { ...DEFAULT_LIMITS, threads }, async (m) => {
    if (m.kind === "pages") pages += m.pages.length;
  });
  const ms = performance.now() - t0;
  if (!outcome.ok) throw new Error(`extraction of ${path} failed: ${outcome.failure}`);
  const spent = [...childrenCpuMs()].flatMap(([pid, cpu]) =>
    before.has(pid) ? [cpu - before.get(pid)!] : [],
  );
  // A file read by a worker started during the run (no spare at hand) has no CPU time here. The
  // clock ticks are of 10 ms: a file of a few pages may show 0 or 10.
  const counted = before.size > 0 && spent.length >= Math.min(outcome.workers ?? 1, before.size);
  return {
    ms,
    pages,
    workers: outcome.workers ?? 1,
    cpuMs: counted ? spent.reduce((a, b) => a + b, 0) : null,
    busiestCpuMs: counted ? Math.max(...spent) : null,
  };
}

/** pdftotext's time on the file: the median of three runs (a short run is noisy), wall and CPU. */
function pdftotextMs(path: string): { ms: number; cpuMs: number | null } | null {
  if (spawnSync("pdftotext", ["-v"]).error) return null;
  const runs = [0, 1, 2].map(() => {
    const c0 = procCpuMs("self", true);
    const t0 = performance.now();
    execFileSync("pdftotext", ["-layout", path, "/dev/null"]);
    const ms = performance.now() - t0;
    const c1 = procCpuMs("self", true);
    return { ms, cpuMs: c0 === null || c1 === null ? null : c1 - c0 };
  });
  const cpu = runs.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
  return { ms: median(runs.map((r) => r.ms)), cpuMs: cpu.length ? median(cpu) : null };
}

export async function benchExtract(rootDir: string): Promise<ExtractBench> {
  const runs = Number(process.env.BENCH_EXTRACT_RUNS ?? 5);
  const generatedPages = Number(process.env.BENCH_EXTRACT_PAGES ?? 300);
  const dir = mkdtempSync(join(tmpdir(), "accord-bench-extract-"));
  try {
    const docs = join(rootDir, "data/documents");
    const decreeText = readFileSync(
      join(docs, "us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.txt"),
      "utf8",
    );
    const paragraphs = decreeText
      .split(/\n\s*\n/)
      .map((p) => p.replace(/\s+/g, " ").trim())
      .filter((p) => p.length > 200);
    const generated = join(dir, `generated-${generatedPages}-pages.pdf`);
    writeFileSync(generated, await prosePdf(paragraphs, generatedPages));
    const files = [
      join(docs, "us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.pdf"),
      join(docs, "doj_all_authorized_14141_LEA_investigations_2014-07-02.pdf"),
      generated,
    ];
    // The first document of a process has no warm spare: its worker loads pdf.js first.
    const cold = await accordMs(files[1]!);
    const out: ExtractBench["files"] = [];
    for (const path of files) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const ourCpu: number[] = [];
      const ourBusiest: number[] = [];
      const theirCpu: number[] = [];
      let pages = 0;
      const workers: number[] = [];
      for (let i = 0; i < runs; i++) {
        // Steady state, as between uploads: the spare worker has loaded pdf.js.
        await spareReady();
        const r = await accordMs(path);
        ours.push(r.ms);
        if (r.cpuMs !== null) ourCpu.push(r.cpuMs);
        if (r.busiestCpuMs !== null) ourBusiest.push(r.busiestCpuMs);
        pages = r.pages;
        workers.push(r.workers);
        const p = pdftotextMs(path);
        if (p !== null) theirs.push(p.ms);
        if (p?.cpuMs != null) theirCpu.push(p.cpuMs);
      }
      const a = median(ours);
      const b = theirs.length ? median(theirs) : null;
      const aCpu = ourCpu.length ? median(ourCpu) : null;
      const bCpu = theirCpu.length ? median(theirCpu) : null;
      out.push({
        file: path.split("/").at(-1)!,
        pages,
        accordMs: round(a),
        accordRunsMs: ours.map((x) => round(x)),
        workers: workers[ours.indexOf(a)]!,
        accordPagesPerSecond: round((pages / a) * 1000),
        pdftotextMs: b === null ? null : round(b),
        pdftotextPagesPerSecond: b === null ? null : round((pages / b) * 1000),
        ratio: b === null ? null : round(a / b, 2),
        accordCpuMs: aCpu,
        accordRunsCpuMs: ourCpu,
        accordBusiestCpuMs: ourBusiest.length ? median(ourBusiest) : null,
        pdftotextCpuMs: bCpu,
        cpuRatio: aCpu === null || !bCpu ? null : round(aCpu / bCpu, 2),
      });
    }
    await stopSpareWorker();
    return {
      runs,
      threads,
      coldStartMs: round(cold.ms),
      files: out,
      targetRatio: 3,
      withinTarget: out.every((f) => f.ratio !== null && f.ratio <= 3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
