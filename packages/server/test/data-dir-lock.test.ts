import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError } from "../src/lock.js";

/**
 * Issue 16, item 12: the data directory lock had a window between reading a stale lock and
 * taking it over, so two processes starting at once on a directory left by kill -9 could both
 * believe they held it (and two PGlite processes corrupt a directory).
 */
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "accord-lock-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The PID of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

const lockModule = fileURLToPath(new URL("../src/lock.ts", import.meta.url));
const serverDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * A process that tries to take the lock and says whether it got it (its first line); one that got
 * it holds it until its standard input is closed (`release`), so a late starter on a loaded
 * machine finds it held rather than released.
 */
function contender(dir: string, script: string): Promise<{ said: string; release: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, dir], { cwd: serverDir });
    const exited = new Promise<void>((done) => child.on("exit", () => done()));
    const release = async () => {
      child.stdin.end();
      await exited;
    };
    let out = "";
    const said = () => {
      if (out.includes("\n")) resolve({ said: out.slice(0, out.indexOf("\n")).trim(), release });
    };
    child.stdout.on("data", (d) => {
      out += d;
      said();
    });
    child.stderr.on("data", (d) => {
      out += d;
      said();
    });
    child.on("error", reject);
    void exited.then(() => resolve({ said: out.trim(), release }));
  });
}

describe("the data directory lock", () => {
  it("keeps a second taker out while the first runs, and is released", () => {
    const dir = tempDir();
    const release = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).not.toThrow(); // the same process may take it again
    release();
    const again = acquireDataDirLock(dir);
    again();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses while a live process holds it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "accord.lock"), `${process.ppid}\n`);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
  });

  it("takes a stale lock over only as the holder of the takeover mark, which a dead taker cannot keep", () => {
    const dir = tempDir();
    const stale = `${deadPid()}\n`;
    writeFileSync(join(dir, "accord.lock"), stale);
    // Another process is taking it over right now: wait for it, never remove the lock under it.
    writeFileSync(join(dir, "accord.lock.takeover"), "");
    expect(() => acquireDataDirLock(dir)).toThrow(/Could not take the lock/);
    expect(readFileSync(join(dir, "accord.lock"), "utf8")).toBe(stale);
    // A mark left by a taker that died long ago does not block for ever.
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "accord.lock.takeover"), old, old);
    const release = acquireDataDirLock(dir);
    expect(readFileSync(join(dir, "accord.lock"), "utf8").trim()).toBe(String(process.pid));
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("lets exactly one of several processes take over a stale lock", async () => {
    const script = join(tempDir(), "contender.mts");
    writeFileSync(
      script,
      `import { acquireDataDirLock, DataDirLockedError } from ${JSON.stringify(lockModule)};
const dir = process.argv[2];
try {
  const release = acquireDataDirLock(dir);
  console.log("got");
  process.stdin.on("end", release);
  process.stdin.resume();
} catch (e) {
  console.log(e instanceof DataDirLockedError ? "locked" : \`error: \${e}\`);
}
`,
    );
    for (let round = 0; round < 3; round++) {
      const dir = tempDir();
      writeFileSync(join(dir, "accord.lock"), `${deadPid()}\n`);
      const runs = await Promise.all(Array.from({ length: 6 }, () => contender(dir, script)));
      await Promise.all(runs.map((r) => r.release()));
      const results = runs.map((r) => r.said);
      expect(
        results.filter((r) => r === "got"),
        results.join(", "),
      ).toHaveLength(1);
      expect(results.filter((r) => r === "locked")).toHaveLength(5);
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 120_000);
});
