import { defaultServerConditions } from "vite";
import { configDefaults, defineConfig } from "vitest/config";

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
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: "UTC" },
  },
});
