/**
 * What a run leaves behind (server children, PGlite directories, PostgreSQL databases) is
 * registered here as it is made, and removed at the end, also on Ctrl-C.
 */
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { log } from "./log.js";

export const children = new Set<ChildProcess>();
export const tempDirs = new Set<string>();
export const cleanups = new Set<() => Promise<void>>();

export function killChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      children.delete(child);
      resolve();
      return;
    }
    const hard = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(hard);
      children.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function cleanupAll() {
  await Promise.all([...children].map(killChild));
  for (const c of [...cleanups]) {
    await c().catch((e) => log(`cleanup failed: ${String(e)}`));
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

/** Ctrl-C (or a SIGTERM) stops the servers and removes the temporary files; a second one exits at once. */
export function cleanupOnSignals() {
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      log(`${signal}: stopping servers and removing temporary files`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}
