import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers.js";

/**
 * The OpenAPI document is committed (docs/openapi.json) so that a change of the API shows in
 * review; this test fails when the code's document drifts from it. After an intended change:
 * `npm run openapi` writes the new one.
 */
const COMMITTED = fileURLToPath(new URL("../../../docs/openapi.json", import.meta.url));

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("the committed OpenAPI document", () => {
  it("is the one the code serves", async () => {
    const res = await t.anonymous("/api/openapi.json");
    expect(res.statusCode).toBe(200);
    const served = `${JSON.stringify(res.json(), null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === "1") writeFileSync(COMMITTED, served);
    const committed = readFileSync(COMMITTED, "utf8");
    expect(
      served === committed,
      "docs/openapi.json differs from the API the code serves: run `npm run openapi` and commit it",
    ).toBe(true);
  });
});
