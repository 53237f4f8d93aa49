import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEvent, buildMatter, ENGINE } from "./helpers.js";
import { inventoryApp } from "./inventory-app.js";
import { concrete, fieldsOf, schemaOf } from "./route-inventory.js";

/**
 * I2: SQL injection payloads in every list's filters and sort (lists from the route inventory),
 * and a check of the source: text goes into SQL unescaped (`sql.raw`, `sql.identifier`) only
 * where listed, each with why it is safe.
 */

const inv = inventoryApp();

/** Payloads in filters: a tautology; a stacked statement with a double-quoted one (the sort's are below). */
const INJECTIONS = ["' OR 1=1 --", '1;drop table x") or ("1"="1'];

describe(`I2: SQL injection in lists' filters and sort (${ENGINE})`, () => {
  it("I2: every list answers 400 or no more rows than without the filter, and no SQL error", async () => {
    // A few records, so a tautology would show as rows.
    // Their titles hold no digit, so the literal words of the payloads match none of them.
    for (const word of ["alpha", "beta", "gamma"]) {
      const m = await buildMatter(inv.app, { title: `Injection target ${word}` });
      await buildEvent(inv.app, { title: `Hearing ${word}`, matterId: m.id } as never);
    }
    const lists = inv.routes.filter(
      (r) => r.method === "GET" && schemaOf(r).querystring && !r.url.endsWith(".pdf"),
    );
    let checked = 0;
    for (const r of lists) {
      const base = await inv.app.inject(concrete(r.url));
      const baseRows = rowsOf(base.body);
      for (const f of fieldsOf(schemaOf(r).querystring)) {
        if (f.name === "sort" || !["string", "other", "enum", "array"].includes(f.kind)) continue;
        for (const payload of INJECTIONS) {
          const url = `${concrete(r.url)}?${encodeURIComponent(f.name)}=${encodeURIComponent(payload)}`;
          const res = await inv.app.inject(url);
          const what = `${url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          expect(res.body, what).not.toMatch(/syntax error|at or near|drizzle|relation "|column "/i);
          if (res.statusCode === 200 && baseRows !== null && base.statusCode === 200) {
            const rows = rowsOf(res.body);
            if (rows !== null) expect(rows, what).toBeLessThanOrEqual(baseRows);
            // A filter or search term is a literal: nothing is named ' OR 1=1 --.
            if (rows !== null && /^(q|slug|title|search)$/.test(f.name)) expect(rows, what).toBe(0);
          } else if (res.statusCode !== 200) {
            expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    // The tables are all there (no statement ran).
    const matters = await inv.app.inject("/api/v1/matters");
    expect(matters.statusCode).toBe(200);
    expect(matters.json().items.length).toBeGreaterThanOrEqual(3);
  });

  it("I2: an injection in a path parameter is a key like any other: 404, 400 or nothing found", async () => {
    for (const r of inv.routes.filter((r) => r.method === "GET" && r.url.includes("/:"))) {
      const url = concrete(r.url, encodeURIComponent("' OR 1=1 --"));
      const res = await inv.app.inject(url);
      const what = `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (res.statusCode === 200) expect(rowsOf(res.body), what).toBe(0);
      else expect([400, 404], what).toContain(res.statusCode);
    }
  });

  it("I2: a sort outside the allowlist is refused with 400 on every list that sorts", async () => {
    const sorted = inv.routes.filter(
      (r) => r.method === "GET" && fieldsOf(schemaOf(r).querystring).some((f) => f.name === "sort"),
    );
    expect(sorted.length).toBeGreaterThan(5);
    for (const r of sorted) {
      for (const payload of ["id desc nulls first;--", "(select 1)", "-m.title", "title;drop table x"]) {
        const url = `${concrete(r.url)}?sort=${encodeURIComponent(payload)}`;
        const res = await inv.app.inject(url);
        expect(res.statusCode, `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(400);
      }
    }
  });
});

/** How many rows a list answered: its `items`, or a CSV's lines after the header; null otherwise. */
function rowsOf(body: string): number | null {
  try {
    const json = JSON.parse(body) as { items?: unknown[] };
    return Array.isArray(json.items) ? json.items.length : null;
  } catch {
    return body.includes(",") ? body.trim().split("\n").length - 1 : null;
  }
}

/**
 * Where `sql.raw` and `sql.identifier` (text put into SQL unescaped) may appear, with how many uses
 * and why each is safe. A new use fails this check until it is listed here with its reason.
 */
const RAW_SQL_ALLOWED: Record<string, [count: number, why: string]> = {
  "agencies/queries.ts": [
    2,
    "sort column from the SORTS allowlist (unknown → a.name); direction is a literal",
  ],
  "jurisdictions/queries.ts": [4, "sort column from an allowlist; a table alias, a literal of the code"],
  "events/queries.ts": [1, "sort direction: one of two literals"],
  "matters/queries.ts": [
    10,
    "sort column from SORT_COLUMNS or SPAN_SORT_COLUMNS (unknown → default); fixed SQL fragments (the page's column list); status column and direction one of two literals",
  ],
  "matters/as-of.ts": [6, "fixed SQL fragments and the carried column list (CARRIED) written in the code"],
  "matters/status-spans.ts": [3, "the function's own DDL, built from the domain's constants"],
  "grants/queries.ts": [
    9,
    "sort column from SORT_COLUMNS (unknown → default); fixed fragments with code aliases",
  ],
  "grants/commands/checks.ts": [1, "a table name the code passes (matters, agencies...), never input"],
  "compliance/period-order.ts": [2, "fixed ORDER BY fragments with a code alias"],
  "compliance/summary.ts": [2, "a code constant (OFFICIAL_RATER) and alias"],
  "compliance/rollups.ts": [2, "fixed fragments with a code alias"],
  "statistics/queries.ts": [3, "table and alias names the code chooses; the key is a parameter"],
  "statistics/commands/import-statistics.ts": [1, "table name chosen by the code"],
  "audit/queries.ts": [3, "an interval from a code constant; the history route's table from its entity enum"],
  "reviews/commands/start-cycle.ts": [1, "one of two literal column names"],
  "reviews/queries/report.ts": [1, "fixed fragment with a code alias"],
  "reviews/queries/reviews.ts": [
    4,
    "sort column from SORTS (the query schema's enum); fixed fragments; a person by a column name written in the code",
  ],
  "reviews/queries/cycles.ts": [1, "fixed fragment"],
  "search/limits.ts": [1, "a statement timeout: a number from configuration, rounded with Math.ceil"],
  "search/queries.ts": [
    5,
    "column aliases f0…fn made from an index; the title CTE's names, literals in the code",
  ],
  "provisions/commands/accept-provisions.ts": [1, "a fixed column list"],
  "notifications/user-scope.ts": [1, "sql.identifier of a table typed as one of four literals"],
  "notifications/commands/watches.ts": [
    1,
    "sql.identifier of a column chosen by the watch's kind in a switch",
  ],
  "dashboard/queries.ts": [2, "group keys and columns chosen by the code"],
  "transfer/import.ts": [
    26,
    "table and column names from the code's import plan; values are parameters or staged rows",
  ],
  "transfer/export.ts": [1, "link table name chosen by the code"],
  "db/migrations.ts": [1, "the migration files' own SQL"],
  "db/schema.ts": [5, "check constraints from a code constant"],
  "db/sql.ts": [3, "helpers that wrap column names the callers write in the code"],
  "backup/restore.ts": [
    7,
    "table and constraint names read from the database's catalogue, quoted with ident()",
  ],
  "backup/backup.ts": [2, "table names read from the catalogue, quoted"],
};

describe("I2: sql.raw is used only where allowed", () => {
  it("I2: every sql.raw and sql.identifier is in a listed file, as many times as listed", () => {
    const root = join(import.meta.dirname, "../src");
    const found: Record<string, number> = {};
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
      const file = join(entry.parentPath, entry.name);
      const n = (readFileSync(file, "utf8").match(/sql\.(raw|identifier)\(/g) ?? []).length;
      if (n) found[relative(root, file).replace(/^modules\//, "")] = n;
    }
    const allowed = Object.fromEntries(Object.entries(RAW_SQL_ALLOWED).map(([f, [n]]) => [f, n]));
    expect(found).toEqual(allowed);
  });
});
