import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import type { Database } from "../src/db/open.js";
import { ENGINE, openTestDatabase } from "./helpers.js";

describe(`the web app's deep links (${ENGINE})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-web-"));
  let database: Database;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>Accord</title>");
    database = await openTestDatabase();
    app = await buildApp({ db: database.db, webDir: dir });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers a page's address with the app, whatever its query holds", async () => {
    for (const url of [
      "/matters/baltimore-bpd-2017",
      "/search?q=12601.5",
      "/documents/x?page=2&q=u.s.c",
      // A provision cited by its outline label.
      "/matters/davis/provisions/T.1.b",
      `/matters/davis/provisions/${encodeURIComponent("III.A.1.a(i)")}`,
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"], url).toContain("text/html");
    }
  });

  it("answers a missing file or API route with a 404 problem", async () => {
    for (const url of ["/assets/missing.js", "/favicon.ico", "/pdfjs/x.wasm", "/api/v1/nothing-here"]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"], url).toContain("application/problem+json");
    }
  });
});
