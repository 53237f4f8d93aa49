import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { DOCUMENT_KINDS, type DocumentKind, type DocumentRecord } from "@accord/domain";
import type { Config } from "../config.js";
import { AppError, appError } from "../context/app-error.js";
import { systemContext } from "../context/command-context.js";
import { startJobRunner } from "../jobs/job-runner.js";
import { addDocuments, BlobStore, getDocuments } from "../modules/documents/index.js";
import { getMatter } from "../modules/matters/index.js";
import { openConfigured } from "../server.js";

export const INGEST_USAGE =
  "accord ingest --matter SLUG [--kind KIND] [--title TITLE] [--date YYYY-MM-DD] [--source URL] [--public] FILE…";

interface IngestArgs {
  matter: string;
  kind: DocumentKind;
  title?: string;
  date?: string;
  sourceUrl?: string;
  public: boolean;
  files: string[];
}

function parseArgs(args: string[]): IngestArgs | string {
  const out: Partial<IngestArgs> & { files: string[] } = { files: [], public: false, kind: "other" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "--matter") out.matter = value();
      else if (a === "--kind") {
        const k = value();
        if (!(DOCUMENT_KINDS as readonly string[]).includes(k))
          return `--kind must be one of ${DOCUMENT_KINDS.join(", ")}`;
        out.kind = k as DocumentKind;
      } else if (a === "--title") out.title = value();
      else if (a === "--date") out.date = value();
      else if (a === "--source") out.sourceUrl = value();
      else if (a === "--public") out.public = true;
      else if (a.startsWith("--")) return `unknown option ${a}`;
      else out.files.push(a);
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!out.matter) return "give the matter's slug with --matter";
  if (!out.files.length) return "give one or more files";
  return out as IngestArgs;
}

const BAR = 24;
function bar(done: number, total: number | null): string {
  if (!total) return `[${" ".repeat(BAR)}]`;
  const filled = Math.round((Math.min(done, total) / total) * BAR);
  return `[${"#".repeat(filled)}${".".repeat(BAR - filled)}]`;
}

function describe(d: DocumentRecord): string {
  switch (d.status) {
    case "queued":
      return "waiting";
    case "extracting":
      return d.pageCount ? `${d.pagesDone}/${d.pageCount} pages` : "opening";
    case "ready": {
      const scanned = d.scannedPages.length ? `, ${d.scannedPages.length} without text` : "";
      const near = d.nearDuplicateOf
        ? `; resembles "${d.nearDuplicateOf.title}" (${Math.round(d.nearDuplicateOf.similarity * 100)}%)`
        : "";
      return `ready, ${d.pageCount} page${d.pageCount === 1 ? "" : "s"}${scanned}${near}`;
    }
    case "failed":
      return `FAILED: ${d.failure}`;
  }
}

/**
 * `accord ingest`: adds files from disk to a matter with the same code as uploads, then waits
 * for their text to be read, showing progress (a bar per file on a terminal, lines otherwise).
 * Exits 1 when any file failed.
 */
export async function ingestCommand(config: Config, argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`accord ingest: ${args}\n  ${INGEST_USAGE}`);
    return 2;
  }
  const out = process.stderr;
  const tty = out.isTTY === true;
  const opened = await openConfigured(config);
  const { db } = opened.database;
  const runner = startJobRunner({
    db,
    dataDir: config.dataDir,
    limits: config.extraction,
    soleOwner: opened.database.engine === "pglite",
    pollMs: 500,
    mail: config.mail,
    webhooks: { allowPrivate: config.webhookAllowPrivate },
  });
  const problems: string[] = [];
  // The CLI is Accord itself: it reads and writes the whole registry.
  const ctx = systemContext(db, "cli");
  try {
    const matter = await getMatter(ctx, args.matter).catch(() => {
      throw appError("not_found", `No matter has the slug "${args.matter}"`);
    });
    const store = new BlobStore(config.dataDir);
    const ids: string[] = [];
    for (const [i, file] of args.files.entries()) {
      const name = basename(file);
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {}
      if (!isFile) {
        problems.push(`${file}: no such file`);
        out.write(`${file}: no such file\n`);
        continue;
      }
      out.write(`Adding ${name} (${i + 1} of ${args.files.length})\n`);
      try {
        const staged = await store.stage(createReadStream(file), name, config.uploadLimitBytes);
        try {
          const [added] = await addDocuments(
            {
              matterKey: matter.id,
              files: [{ staged, filename: name }],
              meta: {
                kind: args.kind,
                ...(args.title ? { title: args.title } : {}),
                date: args.date ?? null,
                sourceUrl: args.sourceUrl ?? null,
                public: args.public,
              },
              store,
            },
            ctx,
          );
          if (added!.duplicate) out.write(`  already on ${matter.slug} as document ${added!.document.id}\n`);
          ids.push(added!.document.id);
        } finally {
          await store.discard(staged);
        }
      } catch (e) {
        const message = e instanceof AppError ? e.message : String((e as Error).message ?? e);
        problems.push(`${file}: ${message}`);
        out.write(`  ${message}\n`);
      }
    }
    runner.wake();
    // Follow the documents until each is ready or failed.
    const shown = new Map<string, string>();
    let drawn = 0;
    for (;;) {
      const docs = await getDocuments(ctx, ids);
      const finished = docs.every((d) => d.status === "ready" || d.status === "failed");
      if (tty) {
        if (drawn) out.write(`\x1b[${drawn}A`);
        for (const d of docs) {
          const done = d.status === "ready" ? (d.pageCount ?? 1) : d.pagesDone;
          const total = d.status === "ready" ? (d.pageCount ?? 1) : d.pageCount;
          const name = d.filename.length > 32 ? `${d.filename.slice(0, 31)}…` : d.filename;
          const line = `${bar(done, total)} ${name}  ${describe(d)}`;
          out.write(`\x1b[2K${line.slice(0, Math.max(60, (out.columns ?? 100) - 1))}\n`);
        }
        drawn = docs.length;
      } else {
        for (const d of docs) {
          const line = `${d.filename}: ${describe(d)}`;
          // Plain lines: a change of status, and progress every 25 pages.
          const key = d.status === "extracting" ? `${d.status}:${Math.floor(d.pagesDone / 25)}` : d.status;
          if (shown.get(d.id) !== key) {
            shown.set(d.id, key);
            out.write(`${line}\n`);
          }
        }
      }
      if (finished) {
        for (const d of docs) if (d.status === "failed") problems.push(`${d.filename}: ${d.failure}`);
        break;
      }
      await new Promise((r) => setTimeout(r, tty ? 200 : 500));
    }
  } finally {
    await runner.stop();
    await opened.close();
  }
  if (problems.length) {
    out.write(`\n${problems.length} file${problems.length === 1 ? "" : "s"} could not be added or read:\n`);
    for (const p of problems) out.write(`  ${p}\n`);
    return 1;
  }
  return 0;
}
