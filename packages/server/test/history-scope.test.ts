import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildAgency,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  monitorIfMatch,
  type TestApp,
} from "./helpers.js";

/**
 * Issue 16, item 2: a monitor reading their matter's history must not learn of matters they may
 * not read through the snapshots it keeps; only the audit log's readers see addresses; and the
 * matter counts of places count only the matters the caller may read.
 */
describe(`history and counts within the caller's scope (${ENGINE})`, () => {
  let t: TestApp;
  let monitor: string;
  let viewer: string;
  let mine: { id: string; slug: string; version: number };
  let secret: { id: string; slug: string };
  let place: { id: string; slug: string };
  let agency: { id: string; slug: string };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await buildTestApp();
    monitor = await t.tokenFor("monitor", "hist-monitor");
    viewer = await t.tokenFor("viewer", "hist-viewer");
    place = await buildJurisdiction(t.app, { name: "Histville" });
    agency = await buildAgency(t.app, { jurisdictionId: place.id, name: "Histville Police" });
    mine = await buildMatter(t.app, {
      title: "Assigned matter",
      jurisdictionId: place.id,
      agencyIds: [agency.id],
    });
    secret = await buildMatter(t.app, {
      title: "Unassigned secret investigation",
      jurisdictionId: place.id,
      agencyIds: [agency.id],
    });
    const related = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${mine.slug}/related`,
      headers: { "if-match": `"${mine.version}"` },
      remoteAddress: "198.51.100.23",
      payload: { relatedId: secret.id, relation: "led_to" },
    });
    expect(related.statusCode, related.body).toBeLessThan(300);
    const assigned = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${mine.slug}/assignments/hist-monitor`,
      headers: await monitorIfMatch(t.app, "hist-monitor"),
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
  });
  afterAll(() => t.close());

  it("keeps unassigned matters out of a monitor's history snapshots, and addresses from non-auditors", async () => {
    const history = await t.anonymous({ url: `/api/v1/history/matter/${mine.slug}`, headers: as(monitor) });
    expect(history.statusCode).toBe(200);
    expect(history.json().items.some((e: { action: string }) => e.action === "MATTER_RELATED")).toBe(true);
    expect(history.body).not.toContain(secret.id);
    expect(history.body).not.toContain(secret.slug);
    expect(history.body).not.toContain("Unassigned secret investigation");
    expect(history.json().items.every((e: { address: string | null }) => e.address === null)).toBe(true);

    const forViewer = (
      await t.anonymous({ url: `/api/v1/history/matter/${mine.slug}`, headers: as(viewer) })
    ).json();
    expect(forViewer.items.every((e: { address: string | null }) => e.address === null)).toBe(true);
    expect(JSON.stringify(forViewer)).toContain(secret.slug);

    const forAdmin = (await t.app.inject(`/api/v1/history/matter/${mine.slug}`)).json();
    expect(forAdmin.items.map((e: { address: string | null }) => e.address)).toContain("198.51.100.23");
  });

  it("counts a place's matters within the caller's scope", async () => {
    const count = async (headers?: Record<string, string>) => {
      const j = headers
        ? await t.anonymous({ url: `/api/v1/jurisdictions/${place.slug}`, headers })
        : await t.app.inject(`/api/v1/jurisdictions/${place.slug}`);
      const a = headers
        ? await t.anonymous({ url: `/api/v1/agencies/${agency.slug}`, headers })
        : await t.app.inject(`/api/v1/agencies/${agency.slug}`);
      return [j.json().matterCount, a.json().matterCount];
    };
    expect(await count()).toEqual([2, 2]);
    expect(await count(as(monitor))).toEqual([1, 1]);
    const list = (
      await t.anonymous({ url: `/api/v1/jurisdictions?q=Histville`, headers: as(monitor) })
    ).json();
    expect(list.items.map((j: { matterCount: number }) => j.matterCount)).toEqual([1]);
  });
});
