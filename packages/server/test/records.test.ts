import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildAgency,
  buildEvent,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
} from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const kinds = {
  jurisdictions: async () => buildJurisdiction(t.app),
  agencies: async () => buildAgency(t.app),
  events: async () => buildEvent(t.app),
};
const edits = {
  jurisdictions: { name: "Renamed" },
  agencies: { name: "Renamed" },
  events: { title: "Renamed" },
};

describe(`jurisdictions, agencies and events (${ENGINE})`, () => {
  for (const [path, build] of Object.entries(kinds)) {
    it(`${path}: read with ETag, versioned update, 412, 428, delete, 404`, async () => {
      const rec = await build();
      const got = await t.app.inject(`/api/v1/${path}/${rec.slug}`);
      expect(got.statusCode).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      const edit = edits[path as keyof typeof edits];
      const ok = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/${path}/${rec.id}`,
        headers: { "if-match": '"1"' },
        payload: edit,
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ ...edit, version: 2 });
      const stale = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/${path}/${rec.id}`,
        headers: { "if-match": '"1"' },
        payload: edit,
      });
      expect(stale.statusCode).toBe(412);
      expect(stale.json().current.version).toBe(2);
      const missing = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/${path}/${rec.id}`,
        payload: edit,
      });
      expect(missing.statusCode).toBe(428);
      const bad = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/${path}/${rec.id}`,
        headers: { "if-match": '"2"' },
        payload: { nope: 1 },
      });
      expect(bad.statusCode).toBe(400);
      const del = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/${path}/${rec.id}`,
        headers: { "if-match": '"2"' },
      });
      expect(del.statusCode).toBe(204);
      expect((await t.app.inject(`/api/v1/${path}/${rec.id}`)).statusCode).toBe(404);
    });
  }

  it("refuses to delete a jurisdiction or agency that matters still use", async () => {
    const j = await buildJurisdiction(t.app);
    const a = await buildAgency(t.app, { jurisdictionId: j.id });
    await buildMatter(t.app, { jurisdictionId: j.id, agencyIds: [a.id] });
    for (const [path, rec] of [
      ["jurisdictions", j],
      ["agencies", a],
    ] as const) {
      const res = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/${path}/${rec.id}`,
        headers: { "if-match": '"1"' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toMatch(/_in_use$/);
    }
  });

  it("finds a matter by its agency's new name after the agency is renamed", async () => {
    const a = await buildAgency(t.app, { name: "Old Name Police" });
    const m = await buildMatter(t.app, { agencyIds: [a.id] });
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/agencies/${a.id}`,
      headers: { "if-match": '"1"' },
      payload: { name: "Quillfeather Constabulary" },
    });
    const found = (await t.app.inject("/api/v1/matters?q=quillfeather")).json();
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([m.id]);
  });

  it("lists agencies and jurisdictions with filters and matter counts", async () => {
    const j = await buildJurisdiction(t.app, { name: "Zzyzx", stateCode: "NV" });
    const a = await buildAgency(t.app, { jurisdictionId: j.id, kind: "sheriff", name: "Zzyzx Sheriff" });
    await buildMatter(t.app, { jurisdictionId: j.id, agencyIds: [a.id] });
    const js = (await t.app.inject("/api/v1/jurisdictions?state=NV&sort=-matterCount")).json();
    expect(js.items[0]).toMatchObject({ name: "Zzyzx", matterCount: 1 });
    const as = (await t.app.inject(`/api/v1/agencies?jurisdiction=${j.slug}&kind=sheriff`)).json();
    expect(as).toMatchObject({
      total: 1,
      items: [{ name: "Zzyzx Sheriff", matterCount: 1, jurisdiction: { slug: j.slug } }],
    });
  });
});
