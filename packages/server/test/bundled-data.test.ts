import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { systemContext } from "../src/context/command-context.js";
import type { Database } from "../src/db/open.js";
import { findUp } from "../src/db/open.js";
import { exportBundle, importBundle, parseBundle, serializeBundle } from "../src/modules/transfer/index.js";
import { createUserWithToken, ENGINE, openTestDatabase } from "./helpers.js";

const bundleText = readFileSync(findUp("data/bundle/registry.json")!, "utf8");
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
  await importBundle(parseBundle(JSON.parse(bundleText)), systemContext(database.db));
});
afterAll(async () => {
  await database?.close();
});

describe(`the bundled dataset (${ENGINE})`, () => {
  it("loads whole and exports back byte for byte", async () => {
    expect(serializeBundle(await exportBundle(systemContext(database.db)))).toBe(bundleText);
  });

  it("lets a person find Maryland's consent decrees and Baltimore's 2017 timeline", async () => {
    const app = await buildApp({ db: database.db });
    const token = await createUserWithToken(database.db, "viewer");
    const inject = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    try {
      const list = (await inject("/api/v1/matters?kind=consent_decree&state=MD")).json();
      const baltimore = list.items.find((m: { slug: string }) => m.slug === "baltimore-bpd-2017");
      expect(baltimore).toBeDefined();
      const search = (await inject("/api/v1/matters?q=baltimore%20police")).json();
      expect(search.items.map((m: { slug: string }) => m.slug)).toContain("baltimore-bpd-2017");
      const matter = (await inject("/api/v1/matters/baltimore-bpd-2017")).json();
      const in2017 = matter.events
        .filter((e: { date: string }) => e.date.startsWith("2017"))
        .map((e: { date: string; kind: string }) => `${e.date} ${e.kind}`);
      expect(in2017).toEqual([
        "2017-01-12 agreement_signed",
        "2017-04-03 motion",
        "2017-04-07 decree_entered",
        "2017-04-07 ruling",
      ]);
      expect(matter.related).toEqual([
        expect.objectContaining({
          slug: "baltimore-police-department-investigation-2015",
          relation: "led_to",
          direction: "to",
        }),
      ]);
      const dashboard = (await inject("/api/v1/dashboard")).json();
      expect(dashboard.totals.matters).toBe(JSON.parse(bundleText).matters.length);
      expect(dashboard.byState.find((s: { stateCode: string }) => s.stateCode === "MD")).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it("forgets that a value was inferred once a person sets it", async () => {
    const app = await buildApp({ db: database.db });
    const token = await createUserWithToken(database.db, "admin");
    const headers = { authorization: `Bearer ${token}` };
    try {
      const before = (await app.inject({ url: "/api/v1/matters/baltimore-bpd-2017", headers })).json();
      const fields = (m: { inferred: { field: string }[] }) => m.inferred.map((f) => f.field).sort();
      expect(fields(before)).toContain("monitor");
      const res = await app.inject({
        method: "PATCH",
        url: "/api/v1/matters/baltimore-bpd-2017",
        headers: { ...headers, "if-match": `"${before.version}"` },
        payload: { monitor: "A monitor a person typed" },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(fields(res.json())).toEqual(fields(before).filter((f: string) => f !== "monitor"));
    } finally {
      await app.close();
    }
  });
});
