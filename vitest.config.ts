import { availableParallelism } from "node:os";
import { defaultServerConditions } from "vite";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take far longer than the rest (child processes, whole-server starts), started first
 * so that one worker runs them while the others take everything else. Without a duration cache
 * (a fresh clone) Vitest orders by file size, which put process.test.ts (113 s) mid-run.
 */
const SLOW_FILES = ["/process.test.ts", "/backup.test.ts", "/data-dir-lock.test.ts", "/transfer.test.ts"];

class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOW_FILES.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? SLOW_FILES.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

const conditions = ["@accord/source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/**/*.test.ts"],
    // *.pg.test.ts need a real PostgreSQL server (scripts/with-postgres.sh sets TEST_DATABASE_URL):
    // runs on PGlite leave them out rather than skip them.
    exclude: process.env.TEST_DATABASE_URL
      ? configDefaults.exclude
      : [...configDefaults.exclude, "**/*.pg.test.ts"],
    // Test files share their worker's modules: loading Fastify, Drizzle, PGlite and the app's
    // modules again for each file cost about 4 s of CPU a file. State stays per file all the
    // same: each file builds its own app on databases of its own (test/helpers.ts).
    isolate: false,
    // Vitest's default on a 2-core machine (CI's) is one worker, which left a core idle while a
    // file waited on its child processes or timers: two workers took the PGlite run from 393 s
    // to 290 s and the PostgreSQL run from 194 s to 114 s on a quiet 2-core machine (2026-12-07).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFilesFirst },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: "UTC" },
  },
});
