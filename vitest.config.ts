import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

const conditions = ["@accord/source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: "UTC" },
  },
});
