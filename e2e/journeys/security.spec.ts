// Security in the browser (RELIABILITY-CHECKS U7 and H3): the CVE-2024-4367 sample opened in the
// document viewer runs none of its JavaScript; and after someone signs in with a second factor,
// works and signs out, the browser keeps no session id, password, anti-CSRF token, second-factor
// secret or review draft, and no URL it asked for carries one.
import { randomUUID } from "node:crypto";
import type { Request } from "playwright-core";
import { fontMatrixInjectionPdf } from "../../packages/server/test/hostile-pdfs.js";
import type { Session } from "../fixtures/api.js";
import { Api } from "../fixtures/api.js";
import { type Person, signIn } from "../fixtures/auth.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "e2e-security";
/** Where the sample's payload would send the browser if it ran (see hostile-pdfs.ts). */
const BEACON = "/cve-2024-4367-ran";
const STORED_DRAFT_PREFIX = "accord.review-draft.";

interface Kept {
  local: [string, string][];
  session: [string, string][];
  idb: string[];
}

/**
 * Everything this origin keeps in the browser: localStorage, sessionStorage and every IndexedDB
 * store's records. A string, not a function: what tsx compiles may wrap functions in helpers
 * the page does not have.
 */
const KEPT = `(async () => {
  const idb = [];
  const dbs = indexedDB.databases ? await indexedDB.databases() : [];
  for (const info of dbs) {
    if (!info.name) continue;
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open(info.name);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise((ok, fail) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      idb.push(info.name + "/" + store + ": " + JSON.stringify(all));
    }
    db.close();
  }
  return { local: Object.entries(localStorage), session: Object.entries(sessionStorage), idb };
})()`;

/** The secrets (by name) found in any of `texts`. */
function leaks(texts: string[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    for (const text of texts) {
      if (text.includes(value) || text.includes(encodeURIComponent(value))) {
        found.push(`${name} in ${text.slice(0, 200)}`);
      }
    }
  }
  return found;
}

const keptTexts = (kept: Kept) => [
  ...kept.local.map(([k, v]) => `localStorage ${k}=${v}`),
  ...kept.session.map(([k, v]) => `sessionStorage ${k}=${v}`),
  ...kept.idb.map((s) => `IndexedDB ${s}`),
];

export default defineJourney(async (j) => {
  const { base } = j;
  const { api } = await j.asAdmin();

  await j.step(
    "U7: the CVE-2024-4367 sample opened in the viewer runs no script; the page shows",
    async () => {
      await api.createMatter({ slug: MATTER, title: "E2E security", jurisdiction: "Cleveland" });
      const up = await api.send<{ items: { document: { id: string } }[] }>(
        "POST",
        `/api/v1/matters/${MATTER}/documents`,
        {
          multipart: {
            title: "CVE-2024-4367 sample",
            file: {
              name: "fontmatrix.pdf",
              mimeType: "application/pdf",
              buffer: fontMatrixInjectionPdf("/nonexistent/cve-2024-4367-ran", BEACON),
            },
          },
        },
      );
      const id = up.items[0]?.document.id ?? "";
      expect(id, "the sample's document");
      await poll(
        async () => (await api.getJson<{ status: string }>(`/api/v1/documents/${id}`)).status === "ready",
        "the sample read on the server",
      );

      // A context of its own, watched from before the viewer's first script runs.
      const { context, page } = await j.asAdmin();
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      const requested: string[] = [];
      context.on("request", (r: Request) => requested.push(r.url()));
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // Set before the app's scripts: any script the CSP refuses is reported here.
      await context.addInitScript(() => {
        const w = window as unknown as { cspViolations: string[] };
        w.cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) => {
          w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
        });
      });

      const cspViolations = () =>
        page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      // First a page with no PDF on it: the app alone trips no CSP rule.
      await page.goto(`${base}/matters/${MATTER}/documents`);
      await expectVisible(page.getByRole("link", { name: "CVE-2024-4367 sample" }), "the sample listed");
      const ordinary = await cspViolations();
      expect(ordinary.length === 0, `CSP violations without the PDF: ${ordinary.join("; ")}`);
      await page.goto(`${base}/documents/${id}`);
      const desk = page.getByRole("region", { name: "Page 1" });
      await expectVisible(
        desk.locator(".textLayer", { hasText: "FontMatrix sample text" }),
        "the page's text",
      );
      await poll(
        () =>
          desk
            .locator("canvas")
            .evaluate((c: HTMLCanvasElement) => {
              const pixels = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data;
              return c.width > 0 && pixels !== undefined && pixels.some((v) => v < 200);
            })
            .catch(() => false),
        "pdf.js drew the page on the canvas",
      );
      // The worker that parsed the font is where the payload would have run: asked while it lives.
      const workers = page.workers();
      expect(workers.length > 0, "pdf.js's worker is running");
      for (const worker of workers) {
        const ran = await worker.evaluate(() => (globalThis as { pwned?: boolean }).pwned === true);
        expect(!ran, `the payload ran in the worker ${worker.url()}`);
      }
      expect(
        !(await page.evaluate(() => (globalThis as { pwned?: boolean }).pwned === true)),
        "the payload ran in the page",
      );
      expect(dialogs.length === 0, `dialogs: ${dialogs.join("; ")}`);
      expect(!requested.some((u) => u.includes(BEACON)), `the payload's request: ${requested.join("\n")}`);
      const violations = await cspViolations();
      expect(violations.length === 0, `CSP violations: ${violations.join("; ")}`);
      expect(errors.length === 0, `page errors: ${errors.join("; ")}`);
      await j.shot(page, "90-viewer-cve-2024-4367-sample");
    },
  );

  // An approving official: their role must use a second factor, set up beforehand over HTTP.
  const person: Person = { username: "sela", password: "" };
  person.password = await api.createUser(person.username, "Sela Security", "approver");
  const own = await Api.signIn(base, person.username, person.password);
  person.authenticator = await own.setUpTotp();
  await own.dispose();
  const { context, page } = await j.newContext("h3");
  const visited: string[] = [];
  context.on("request", (r: Request) => visited.push(r.url()));
  page.on("framenavigated", (f) => visited.push(f.url()));
  const secrets: Record<string, string> = {};

  await j.step("H3: signed in with a second factor and at work, the browser keeps no secret", async () => {
    await signIn(page, base, person, "/matters");
    await page.waitForURL(/\/matters$/);
    await page.goto(`${base}/matters/${MATTER}/documents`);
    await page.getByRole("link", { name: "CVE-2024-4367 sample" }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await expectVisible(page.getByText("FontMatrix sample text"), "the document's page");
    // The download link is a URL the browser may keep (history, a copied link): it is checked too.
    const download = await page.getByRole("link", { name: "Download" }).getAttribute("href");
    expect(download, "the download link");
    visited.push(new URL(download, base).href);
    const box = page.getByRole("searchbox", { name: "Search matters and documents" });
    await box.fill("consent");
    await box.press("Enter");
    await expectVisible(page.getByRole("list", { name: "Search results" }), "search results");
    const session = await new Api(context.request, base).getJson<Session>("/api/v1/session");
    expect(session.user?.username === person.username, "signed in");
    secrets.password = person.password;
    secrets["second-factor secret"] = person.authenticator?.secret ?? "";
    secrets["CSRF token"] = session.csrfToken;
    for (const c of await context.cookies(base)) {
      if (c.value.length >= 8) secrets[`cookie ${c.name}`] = c.value;
    }
    expect(
      Object.keys(secrets).some((k) => k.startsWith("cookie ")),
      "a session cookie",
    );
    for (const [name, value] of Object.entries(secrets)) expect(value.length >= 8, `${name} is known`);
    const cookie = (await context.cookies(base)).find((c) => secrets[`cookie ${c.name}`]);
    expect(cookie?.httpOnly, `the session cookie is HttpOnly: ${JSON.stringify(cookie)}`);
    const kept = (await page.evaluate(KEPT)) as Kept;
    const found = leaks(keptTexts(kept), secrets);
    expect(found.length === 0, `kept while signed in:\n${found.join("\n")}`);
    // A review draft the server does not have yet, as the review form keeps it (use-review-draft.ts).
    await page.evaluate((d) => localStorage.setItem(d.key, d.value), {
      key: `${STORED_DRAFT_PREFIX}${randomUUID()}@1`,
      value: JSON.stringify({
        version: 1,
        values: { findings: {}, recommendation: null, recommendationRationale: "Not sent yet" },
        at: new Date().toISOString(),
      }),
    });
  });

  await j.step("H3: after sign-out no secret, draft or token is left in storage or any URL", async () => {
    await page.getByRole("button", { name: /, account menu$/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await expectVisible(page.getByRole("heading", { name: "Sign in", level: 1 }), "the sign-in page");
    const kept = (await page.evaluate(KEPT)) as Kept;
    const found = leaks(keptTexts(kept), secrets);
    expect(found.length === 0, `kept after sign-out:\n${found.join("\n")}`);
    const drafts = kept.local.filter(([k]) => k.startsWith(STORED_DRAFT_PREFIX));
    expect(drafts.length === 0, `review drafts left: ${drafts.map(([k]) => k).join(", ")}`);
    const ended = await context.request.get(`${base}/api/v1/session`);
    const after = (await ended.json()) as Session;
    expect(after.user === null, `the session is over: ${JSON.stringify(after.user)}`);
    expect(visited.length > 10, `the URLs seen: ${visited.length}`);
    const inUrls = leaks(visited, secrets);
    expect(inUrls.length === 0, `secrets in URLs:\n${inUrls.join("\n")}`);
    const named = visited.filter((u) => /[?&](token|sid|session|password|secret|csrf|code)=/i.test(u));
    expect(named.length === 0, `URLs naming a credential:\n${named.join("\n")}`);
    await j.shot(page, "91-signed-out-nothing-kept");
  });
});
