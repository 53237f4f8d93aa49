import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { documentManifestPath, loadBundledDocumentsOnce } from "../src/modules/documents/index.js";
import { loadBundledCyclesOnce } from "../src/server.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

describe(`the bundled documents, and documents under public reading (${ENGINE})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ publicRead: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("attaches them to their matters once, and reads every one", async () => {
    // The matters they belong to, as the bundled registry has them (the others are department-wide).
    await buildMatter(t.app, { slug: "fulton-county-jail-2025", public: true });
    await buildMatter(t.app, { slug: "suffolk-county-scpd-2014", public: true });
    for (const slug of [
      "atlanta-calhoun-v-pennington-2010",
      "los-angeles-lawson-v-gates-1995",
      "new-york-davis-v-city-of-new-york-2015",
    ])
      await buildMatter(t.app, { slug, kind: "settlement_agreement", status: "unknown", public: true });
    const log: string[] = [];
    const manifest = documentManifestPath(findUp("data/bundle/registry.json"));
    expect(manifest).not.toBeNull();
    await loadBundledDocumentsOnce(t.database, manifest, t.dataDir, (m) => log.push(m));
    await loadBundledDocumentsOnce(t.database, manifest, t.dataDir, (m) => log.push(m));
    expect(log).toEqual(["Added 24 bundled documents; their text is read in the background"]);
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
    const fulton = (await t.app.inject("/api/v1/matters/fulton-county-jail-2025/documents")).json();
    expect(
      fulton.items.map((d: { kind: string; status: string; pageCount: number }) => [
        d.kind,
        d.status,
        d.pageCount,
      ]),
    ).toEqual([
      ["monitor_report", "ready", 355],
      ["monitor_report", "ready", 40],
      ["decree", "ready", 71],
    ]);
    // Suffolk County's agreement and the 3rd–9th assessment reports, in their own footers' pages.
    const suffolk = (await t.app.inject("/api/v1/matters/suffolk-county-scpd-2014/documents")).json();
    expect(
      suffolk.items
        .map((d: { filename: string; status: string; pageCount: number }) => [
          d.filename.slice(0, 10),
          d.status,
          d.pageCount,
        ])
        .sort(),
    ).toEqual([
      ["2016-04-18", "ready", 25],
      ["2017-01-19", "ready", 26],
      ["2017-06-23", "ready", 24],
      ["2018-03-13", "ready", 22],
      ["2018-10-11", "ready", 18],
      ["2019-12-18", "ready", 17],
      ["2023-01-27", "ready", 18],
      ["agreement_", "ready", 27],
    ]);
    // The monitor's reports quote the decree, but are not copies of it.
    for (const d of fulton.items) expect(d.nearDuplicateOf).toBeNull();
    const departmentWide = (await t.app.inject("/api/v1/documents?departmentWide=true")).json();
    expect(departmentWide.items).toHaveLength(3);
    for (const d of departmentWide.items)
      expect(d).toMatchObject({ status: "ready", matter: null, public: true });
    // Anonymous visitors (public reading on) see the public ones: not the monitor's reports.
    const anonymous = (await t.anonymous("/api/v1/matters/fulton-county-jail-2025/documents")).json();
    expect(anonymous.items.map((d: { kind: string }) => d.kind)).toEqual(["decree"]);
    // The bundled 2017 review cycle, loaded after the documents, links the memo as its mandate.
    await loadBundledCyclesOnce(t.database, findUp("data/bundle/registry.json"), () => {});
    const cycle = (await t.app.inject("/api/v1/review-cycles/2017-review")).json();
    expect(cycle.mandateDocument.title).toMatch(
      /Supporting Federal, State, Local and Tribal Law Enforcement/,
    );
  });

  it("shows anonymous visitors only the public documents of public matters", async () => {
    const open = await buildMatter(t.app, { public: true });
    const closed = await buildMatter(t.app, { public: false });
    const add = async (slug: string, name: string, isPublic: boolean) => {
      const form = new FormData();
      form.append("public", String(isPublic));
      form.append("file", new Blob([`${name} text`]), name);
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/matters/${slug}/documents`,
        body: form,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().items[0].document.id as string;
    };
    const shown = await add(open.slug, "shown.txt", true);
    const unmarked = await add(open.slug, "unmarked.txt", false);
    const onClosed = await add(closed.slug, "on-closed.txt", true);
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
    expect((await t.anonymous(`/api/v1/documents/${shown}`)).statusCode).toBe(200);
    expect((await t.anonymous(`/api/v1/documents/${shown}/pages/1`)).json().text).toBe("shown.txt text");
    expect((await t.anonymous(`/api/v1/documents/${shown}/file`)).body).toBe("shown.txt text");
    for (const id of [unmarked, onClosed]) {
      expect((await t.anonymous(`/api/v1/documents/${id}`)).statusCode).toBe(404);
      expect((await t.anonymous(`/api/v1/documents/${id}/pages/1`)).statusCode).toBe(404);
      expect((await t.anonymous(`/api/v1/documents/${id}/file`)).statusCode).toBe(404);
    }
    const listed = (await t.anonymous(`/api/v1/matters/${open.slug}/documents`)).json();
    expect(listed.items.map((d: { id: string }) => d.id)).toEqual([shown]);
    expect((await t.anonymous(`/api/v1/matters/${closed.slug}/documents`)).statusCode).toBe(404);
    const all = (await t.anonymous("/api/v1/documents?limit=500"))
      .json()
      .items.map((d: { id: string }) => d.id);
    expect(all).toContain(shown);
    expect(all).not.toContain(unmarked);
    expect(all).not.toContain(onClosed);
  });
});
