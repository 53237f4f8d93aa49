import { describe, expect, it } from "vitest";
import { buildMatter, ENGINE } from "./helpers.js";
import { inventoryApp } from "./inventory-app.js";
import { concrete, fieldsOf, routeName, schemaOf } from "./route-inventory.js";

/**
 * I1: a bounded fuzz of every route of the route inventory, its cases made from the route's
 * schemas (each field given the wrong kind of value, huge numbers, NUL and right-to-left
 * characters, deep nesting, arrays for strings). The answer is never a 5xx, and every refusal is
 * problem+json. A few cases a route, as the administrator (so authorization passes).
 */

const inv = inventoryApp();

const name = routeName;

/** A JSON array nested `depth` deep, written by hand (JSON.stringify would recurse as deep). */
const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const NASTY_STRING = `\u0000\u202e${"x".repeat(10_000)}`;

/**
 * Bodies made from a route's body schema: each field given a value of the wrong kind, a huge
 * number, an array where a string is wanted, a long string with a NUL and a right-to-left mark,
 * deep nesting; and bodies of the wrong shape altogether.
 */
function fuzzBodies(schema: unknown): string[] {
  const fields = fieldsOf(schema);
  const each = (value: (kind: string) => unknown) =>
    JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, value(f.kind)])));
  const bodies = [
    "[]",
    '"a string"',
    `{"a":${deep(1_000)}}`,
    each((kind) => (kind === "string" || kind === "enum" ? 1e308 : "not-what-it-takes")),
    each((kind) => (kind === "array" ? { "0": "x" } : ["x", 2])),
    each((kind) => (kind === "number" ? 2 ** 64 : NASTY_STRING)),
  ];
  // The first field nested deep (the others missing).
  if (fields[0]) bodies.push(`{${JSON.stringify(fields[0].name)}:${deep(500)}}`);
  return bodies;
}

/** Query strings made from a route's query schema: arrays, huge numbers, NUL, long values. */
function fuzzQueries(schema: unknown): string[] {
  const fields = fieldsOf(schema);
  const each = (value: string) => fields.map((f) => `${encodeURIComponent(f.name)}=${value}`).join("&");
  if (!fields.length) return [];
  return [
    `${each("99999999999999999999999999999")}&${each("-1e309")}`,
    each(encodeURIComponent(NASTY_STRING.slice(0, 3000))),
  ];
}

/** Path parameters: a NUL and a right-to-left mark, one past the longest allowed, bad percent-encoding. */
const PARAM_VALUES = ["%00%E2%80%AE", "x".repeat(201), "%zz"];

describe(`I1: schema-driven fuzz of every route (${ENGINE})`, () => {
  it("I1: never answers 5xx; every refusal is problem+json", async () => {
    const started = Date.now();
    let requests = 0;
    const slow: string[] = [];
    for (const r of inv.routes) {
      const s = schemaOf(r);
      const cases: { url: string; payload?: string }[] = [];
      for (const v of r.url.includes("/:") ? PARAM_VALUES : []) cases.push({ url: concrete(r.url, v) });
      for (const q of s.querystring ? fuzzQueries(s.querystring) : [])
        cases.push({ url: `${concrete(r.url)}?${q}` });
      if (["POST", "PUT", "PATCH"].includes(r.method))
        for (const payload of s.body ? fuzzBodies(s.body) : ["[]", deep(1_000)])
          cases.push({ url: concrete(r.url), payload });
      for (const c of cases) {
        const t0 = Date.now();
        const res = await inv.app.inject({
          method: r.method as "POST",
          url: c.url,
          headers: {
            "if-match": '"1"',
            ...(c.payload === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(c.payload === undefined ? {} : { payload: c.payload }),
        });
        requests++;
        if (Date.now() - t0 > 2_000) slow.push(`${name(r)} ${c.url}`);
        const what = `${name(r)} ${c.url.slice(0, 200)} ${c.payload?.slice(0, 80) ?? ""} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, what).toBeLessThan(500);
        if (res.statusCode >= 400)
          expect(res.headers["content-type"], what).toMatch(/^application\/problem\+json/);
      }
    }
    expect(slow).toEqual([]);
    expect(requests).toBeGreaterThan(700);
    console.info(`I1: ${requests} requests over ${inv.routes.length} routes in ${Date.now() - started} ms`);
  });
});

describe(`I1: long path parameters (${ENGINE})`, () => {
  it("I1: a matter's slug of the longest allowed length (120) reads; a longer parameter is 414 problem+json", async () => {
    const slug = `${"a".repeat(100)}-${"b".repeat(19)}`;
    expect(slug).toHaveLength(120);
    await buildMatter(inv.app, { slug });
    const res = await inv.app.inject(`/api/v1/matters/${slug}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().slug).toBe(slug);
    const long = await inv.app.inject(`/api/v1/matters/${"a".repeat(201)}`);
    expect(long.statusCode).toBe(414);
    expect(long.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const badUrl = await inv.app.inject("/api/v1/matters/%zz");
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
