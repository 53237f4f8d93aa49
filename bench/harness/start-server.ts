import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ComplianceLoad } from "../load-compliance.js";
import { children } from "./cleanup.js";
import {
  benchDir,
  DOCUMENTS,
  EVENTS_PER_MATTER,
  EXTRA_MATTERS,
  IMPORT_BATCH,
  MATTERS,
  PAGES_PER_DOCUMENT,
  rootDir,
  SEED,
} from "./settings.js";

/** A bench server (bench/server.ts) serving one case's database, and what it loaded. */
export interface Server {
  child: ChildProcess;
  base: string;
  /** The authorization header of the viewer the server creates (every API route needs a signed-in caller). */
  authorization: string;
  /** The authorization header of an admin the server creates, for the mixed case's writes. */
  writerAuthorization: string;
  /** A read-only user (an approver) who signs in with a password: the reliability case's LD1 reads. */
  reader: { username: string; password: string } | null;
  imported: { importSeconds: number; batches: number; slowestBatchSeconds?: number };
  documents: { documents: number; pages: number; seconds: number; indexSeconds?: number } | null;
  compliance: ComplianceLoad | null;
  /** The timed crime-statistics import (BENCH_STATISTICS=1). */
  statistics: { file: string; rows: number; values: number; seconds: number; cpuSeconds: number } | null;
}

/**
 * Starts bench/server.ts in a child process on the registry dataset of the settings, `env` (the
 * case's database and its own settings) winning, and resolves once it listens.
 */
export function startServer(env: Record<string, string>, timeoutMs: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_SERVER_NODE_ARGS: node flags for the server child (e.g. --cpu-prof --cpu-prof-dir=DIR).
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      "--conditions=@accord/source",
      join(benchDir, "server.ts"),
    ],
    {
      cwd: rootDir,
      env: {
        ...process.env,
        BENCH_MATTERS: String(MATTERS),
        BENCH_EVENTS_PER_MATTER: String(EVENTS_PER_MATTER),
        BENCH_EXTRA_MATTERS: String(EXTRA_MATTERS),
        BENCH_SEED: String(SEED),
        BENCH_IMPORT_BATCH: String(IMPORT_BATCH),
        BENCH_DOCUMENTS: String(DOCUMENTS),
        BENCH_PAGES_PER_DOCUMENT: String(PAGES_PER_DOCUMENT),
        // The case's own settings win.
        ...env,
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  children.add(child);
  return new Promise((resolve, reject) => {
    let imported: Server["imported"] | null = null;
    let documents: Server["documents"] = null;
    let compliance: Server["compliance"] = null;
    let statistics: Server["statistics"] = null;
    let authorization = "";
    let writerAuthorization = "";
    let reader: Server["reader"] = null;
    const timer = setTimeout(() => reject(new Error(`server not ready after ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})`));
    });
    child.once("error", reject);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("IMPORTED ")) imported = JSON.parse(line.slice(9));
      if (line.startsWith("DOCUMENTS ")) documents = JSON.parse(line.slice(10));
      if (line.startsWith("COMPLIANCE ")) compliance = JSON.parse(line.slice(11));
      if (line.startsWith("STATISTICS ")) statistics = JSON.parse(line.slice(11));
      if (line.startsWith("TOKEN ")) authorization = `Bearer ${line.slice(6)}`;
      if (line.startsWith("WRITER ")) writerAuthorization = `Bearer ${line.slice(7)}`;
      if (line.startsWith("READER ")) reader = JSON.parse(line.slice(7));
      const m = /^READY (\d+)$/.exec(line);
      if (m && imported) {
        clearTimeout(timer);
        resolve({
          child,
          base: `http://127.0.0.1:${m[1]}`,
          authorization,
          writerAuthorization,
          reader,
          imported,
          documents,
          compliance,
          statistics,
        });
      }
    });
  });
}
