import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/context/app-error.js";
import { requireIfMatch } from "../src/context/versioning.js";
import { buildMatter, buildTestApp, type TestApp } from "./helpers.js";

const refusal = (header: string | undefined) => {
  try {
    requireIfMatch(header);
  } catch (e) {
    return e as AppError;
  }
  throw new Error(`${header} was accepted`);
};

describe("If-Match", () => {
  it("reads the strong ETag the server sent", () => {
    expect(requireIfMatch('"3"')).toBe(3);
    expect(requireIfMatch(' "12" ')).toBe(12);
  });

  it("asks for it when missing (428)", () => {
    const e = refusal(undefined);
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.status]).toEqual(["if_match_required", 428]);
  });

  it("never matches a weak validator (strong comparison): the update is stale", () => {
    expect(requireIfMatch('W/"3"')).toBe(-1);
  });

  it("refuses what is not an entity tag the server sent (400)", () => {
    for (const header of ["3", "*", '"3", "4"', '"x"', 'W/"x"']) {
      const e = refusal(header);
      expect([e.code, e.status], header).toEqual(["if_match_invalid", 400]);
    }
  });
});

describe("If-Match on an update", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("answers a weak validator of the current version 412 with the record, and changes nothing", async () => {
    const m = await buildMatter(t.app, { title: "Weak tag matter" });
    const patch = (ifMatch: string) =>
      t.app.inject({
        method: "PATCH",
        url: `/api/v1/matters/${m.slug}`,
        headers: { "if-match": ifMatch },
        payload: { judge: "Judge Weak" },
      });
    const weak = await patch(`W/"${m.version}"`);
    expect(weak.statusCode).toBe(412);
    expect(weak.json()).toMatchObject({ code: "version_conflict", current: { version: m.version } });
    expect((await t.app.inject(`/api/v1/matters/${m.slug}`)).json().judge).not.toBe("Judge Weak");
    expect((await patch(`${m.version}`)).statusCode).toBe(400);
    expect((await patch(`"${m.version}"`)).statusCode).toBe(200);
  });
});
