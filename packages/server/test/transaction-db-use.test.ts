import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ENGINE, openTestDatabase } from "./helpers.js";

/**
 * C3: no nested-client deadlock. Inside a transaction, a query through the outer database handle
 * waits for a connection the transaction holds: on PGlite (one connection) it hangs forever, on
 * PostgreSQL it runs outside the transaction (or exhausts the pool).
 *
 * What this checks, by reading the source of packages/server/src: in the callback of every
 * `<handle>.transaction((tx) => …)` call, nothing names the handle the transaction was opened on
 * (`ctx.db` when it was `ctx.db.transaction`, `db` for `db.transaction`, …) nor `ctx.db` at all;
 * the body works through its `tx` (or `withDb(ctx, tx)`). It reads text, not types: it does not
 * see a context holding the outer handle passed into a helper (every helper taking a transaction
 * takes it as its first argument, as `recordAudit(tx, ctx, …)` does, and is checked the same way
 * where it opens its own transaction).
 */

const SRC = join(import.meta.dirname, "..", "src");

/**
 * The source with the text of comments, strings, template literals (not their `${…}` code) and
 * regular expression literals blanked to spaces, so brackets and names are only code's.
 */
function codeOnly(src: string): string {
  const out = src.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const templates: number[] = []; // brace depth at which each open template's `${` began
  let depth = 0;
  let i = 0;
  const inTemplate = () => templates.length > 0 && templates.at(-1) === -1;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (inTemplate()) {
      const start = i;
      while (i < src.length && src[i] !== "`" && !(src[i] === "$" && src[i + 1] === "{"))
        i += src[i] === "\\" ? 2 : 1;
      blank(start, i);
      if (src[i] === "`") templates.pop();
      else {
        templates[templates.length - 1] = depth;
        depth++;
        i++;
      }
      i++;
      continue;
    }
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      blank(i, end < 0 ? src.length : end);
      i = end < 0 ? src.length : end;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i) + 2;
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else if (c === "/" && /(^|[(,=:[!&|?{};]|return)\s*$/.test(src.slice(Math.max(0, i - 20), i))) {
      // A regular expression literal: to its closing slash (not one inside a class).
      let j = i + 1;
      let inClass = false;
      while (j < src.length && (inClass || src[j] !== "/")) {
        if (src[j] === "\\") j++;
        else if (src[j] === "[") inClass = true;
        else if (src[j] === "]") inClass = false;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else if (c === "`") {
      templates.push(-1);
      i++;
    } else {
      if (c === "{") depth++;
      if (c === "}") {
        depth--;
        if (templates.length && templates.at(-1) === depth) templates[templates.length - 1] = -1;
      }
      i++;
    }
  }
  return out.join("");
}

/** The index just past the bracket closing the one at `open` (in code blanked by codeOnly). */
function matchingClose(code: string, open: number): number {
  let level = 0;
  for (let i = open; i < code.length; i++) {
    if ("([{".includes(code[i]!)) level++;
    else if (")]}".includes(code[i]!) && --level === 0) return i + 1;
  }
  throw new Error(`no match for the bracket at ${open}`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Finding {
  file: string;
  line: number;
  handle: string;
  text: string;
}

/** Each transaction callback of a source, and any use of the outer handle inside it. */
function scan(file: string, src: string): { callbacks: number; findings: Finding[] } {
  const findings: Finding[] = [];
  let callbacks = 0;
  const code = codeOnly(src);
  for (const m of code.matchAll(/((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\.transaction\(/g)) {
    const handle = m[1]!;
    const open = m.index! + m[0].length - 1;
    const body = code.slice(open, matchingClose(code, open));
    if (!/^\(\s*(async\s*)?\(?\s*\w+/.test(body)) continue; // not a callback (a type, a mention)
    callbacks++;
    const outer = new Set([handle, "ctx.db"]);
    for (const name of outer) {
      const use = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}(?![\\w$])`, "g");
      for (const u of body.matchAll(use)) {
        const at = open + u.index!;
        const line = src.slice(src.lastIndexOf("\n", at) + 1, src.indexOf("\n", at));
        // Allowed: the outer handle only to build a context over the transaction, as
        // `withDb(systemContext(database.db), tx)` or `{ ...systemContext(database.db), db: tx }`.
        if (/withDb\(.*,\s*tx\)|\bdb:\s*tx\b/.test(line)) continue;
        findings.push({
          file: relative(SRC, file),
          line: src.slice(0, at).split("\n").length,
          handle,
          text: line.trim(),
        });
      }
    }
  }
  return { callbacks, findings };
}

const sources = readdirSync(SRC, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts"))
  .map((e) => join(e.parentPath, e.name));

describe("C3: no outer database handle inside a transaction", () => {
  it("C3: the checker finds an outer handle inside a transaction callback", () => {
    const bad = `
      export async function f(ctx: Ctx) {
        return ctx.db.transaction(async (tx) => {
          await tx.execute(sql\`update x set \${"a"} = 1\`);
          const y = { s: "ctx.db in a string is fine", r: /[(]ctx.db/, t: \`(\${ctx.db ? ")" : "("}\` };
          return getThing(ctx.db, "k"); // the outer handle: deadlock on PGlite
        });
      }
      async function g(db: Db) { await db.transaction((tx) => db.select().from(t)); }
      async function h(db: Db) { await db.transaction(async (tx) => { await tx.select().from(t); }); }`;
    const { callbacks, findings } = scan("bad.ts", bad);
    expect(callbacks).toBe(3);
    expect(findings.map((f) => [f.handle, f.text])).toEqual([
      // The one in the template's code, not those in the string, the regex or the template's text.
      ["ctx.db", expect.stringMatching(/^const y = \{ s: "ctx\.db in a string/)],
      ["ctx.db", 'return getThing(ctx.db, "k"); // the outer handle: deadlock on PGlite'],
      ["db", "async function g(db: Db) { await db.transaction((tx) => db.select().from(t)); }"],
    ]);
  });

  it("C3: no transaction callback in packages/server/src names the handle it was opened on", () => {
    let callbacks = 0;
    const findings: Finding[] = [];
    for (const file of sources) {
      const r = scan(file, readFileSync(file, "utf8"));
      callbacks += r.callbacks;
      findings.push(...r.findings);
    }
    // The scan saw the transactions (88 calls when this was written): it is not checking nothing.
    expect(callbacks).toBeGreaterThan(60);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.handle}: ${f.text}`)).toEqual([]);
  });

  it(`C3: the suite's databases refuse the outer handle inside a transaction at once (${ENGINE})`, async () => {
    const database = await openTestDatabase();
    const { db } = database;
    const one = async (q: { execute: typeof db.execute }) =>
      ((await q.execute(sql`select 1 as n`)) as unknown as { rows: { n: number }[] }).rows[0]?.n;
    try {
      const t0 = performance.now();
      // The outer handle from the transaction's own callback: refused, not left to hang.
      const refused = await db
        .transaction(async () => one(db))
        .then(
          () => null,
          (e: Error) => e,
        );
      // Drizzle wraps the refusal ("Failed query: …") with it as the cause.
      expect((refused?.cause as Error | undefined)?.message).toMatch(/^C3: a query through the outer/);
      expect(performance.now() - t0).toBeLessThan(5000);
      // Through the transaction itself, after it, and from another caller while one is open: all fine.
      expect(await db.transaction((tx) => one(tx))).toBe(1);
      expect(await one(db)).toBe(1);
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const open = db.transaction(async (tx) => {
        await held;
        return one(tx);
      });
      const outside = one(db);
      release();
      expect(await Promise.all([open, outside])).toEqual([1, 1]);
      // What a transaction left to run later (a promise it chained) runs outside it, once it is over.
      let fire!: () => void;
      const gate = new Promise<void>((r) => {
        fire = r;
      });
      let afterwards!: Promise<number | undefined>;
      await db.transaction(async (tx) => {
        afterwards = gate.then(() => one(db));
        return one(tx);
      });
      fire();
      expect(await afterwards).toBe(1);
    } finally {
      await database.close();
    }
  });
});
