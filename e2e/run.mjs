// End-to-end journey through the built app, as a person uses it: Debian's Chromium driven by
// playwright-core against the built server on a free port with a fresh data directory.
// Expects `npm run build` to have run. Prints "N passed, N failed" and exits non-zero on failure.
import { execFileSync, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { provisionsSteps } from "./provisions-steps.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const shots = join(root, "e2e", "screenshots");
mkdirSync(shots, { recursive: true });

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const STEP_TIMEOUT = 15_000;
/** The first administrator's password: the server is started with it. */
const ADMIN_PASSWORD = "e2e-admin-password-0042";

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, server, ms = 120_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer ${base}/healthz within ${ms / 1000} s`);
}

function startServer(port, dataDir) {
  const built = join(root, "packages/server/dist/cli.js");
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    ACCORD_DATA_DIR: dataDir,
    // E2E_WEB_DIR and E2E_SOURCE=1 let a developer run the journey against their own build
    // (a web build elsewhere, the server from source) while others build in this checkout.
    ACCORD_WEB_DIR: process.env.E2E_WEB_DIR ?? join(root, "packages/web/dist"),
    ACCORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // Approving officials must use a second factor (the journey's approver sets one up).
    ACCORD_TOTP_REQUIRED_ROLES: "approver",
    // Anonymous visitors may read the public matters and events (the bundled ones are public).
    ACCORD_PUBLIC_READ: "1",
    LOG_LEVEL: "warn",
  };
  const [cmd, args] =
    existsSync(built) && process.env.E2E_SOURCE !== "1"
      ? [process.execPath, [join(root, "packages/server/bin/accord.mjs"), "serve"]]
      : [
          process.execPath,
          [
            join(root, "node_modules/tsx/dist/cli.mjs"),
            "--conditions=@accord/source",
            "packages/server/src/cli.ts",
            "serve",
          ],
        ];
  const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return { child, log };
}

// ---------------------------------------------------------------- a tiny runner

const results = [];
let stopped = false;

async function step(name, fn) {
  if (stopped) {
    results.push({ name, status: "skipped" });
    console.log(`- skipped  ${name}`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    results.push({ name, status: "passed" });
    console.log(`✓ passed   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, status: "failed", error });
    console.log(
      `✗ failed   ${name}\n    ${String(error?.message ?? error)
        .split("\n")
        .join("\n    ")}`,
    );
    // The journey builds on itself: what follows a failed step cannot be trusted.
    stopped = true;
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: "visible", timeout: STEP_TIMEOUT });
  } catch {
    throw new Error(`not visible: ${what}`);
  }
}

/** Retry a check until it holds: lists refresh a moment after their URL changes. */
async function poll(check, what, ms = STEP_TIMEOUT) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

async function shot(page, name) {
  // Transitions (a dialog fading in) are finished first: the picture shows what stays.
  await page.screenshot({ path: join(shots, `${name}.png`), animations: "disabled" });
}

/**
 * Sign in through the sign-in page: open `from`, get sent to sign in (or, on a page anonymous
 * visitors may read, take the header's "Sign in"), come back to `from`.
 */
async function signIn(page, base, username, password, from = "/") {
  await page.goto(`${base}${from}`);
  const headerSignIn = page.getByRole("link", { name: "Sign in", exact: true });
  await headerSignIn
    .or(page.getByRole("heading", { name: "Sign in", level: 1 }))
    .first()
    .waitFor();
  if (!new URL(page.url()).pathname.startsWith("/sign-in")) await headerSignIn.click();
  await page.waitForURL(/\/sign-in/);
  await page.getByRole("textbox", { name: "User name" }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** An authenticator app's code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits); `offset` steps from now. */
function totp(secret, offset = 0) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const ch of secret.replace(/[\s=]/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + offset));
  const mac = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** GET an API path with the browser context's cookies; the parsed JSON. */
async function getJson(context, url) {
  const res = await context.request.get(url);
  if (!res.ok()) throw new Error(`GET ${url}: ${res.status()} ${await res.text()}`);
  return res.json();
}

// ---------------------------------------------------------------- the journey

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "accord-e2e-"));
const { child: server, log: serverLog } = startServer(port, dataDir);
let browser;

const stopServer = () => {
  if (server.exitCode === null) server.kill("SIGTERM");
};
process.on("exit", stopServer);
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopServer();
    process.exit(130);
  });
}

const pageErrors = [];
const MATTER = "baltimore-bpd-2017";
const MATTER_TITLE = "Baltimore Police Department consent decree";

try {
  await step("server starts on a fresh data directory", () => waitForHealth(base, server));

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const watch = (p) => {
    p.on("pageerror", (e) => pageErrors.push(`${p.url()}: ${e.message}`));
  };
  const page = await context.newPage();
  watch(page);

  await step(
    "anonymous: a page that is not public goes to sign-in; wrong password and lockout say so",
    async () => {
      // Public reading is on: matters and events are public, jurisdictions (and the rest) are not.
      const anon = await (await fetch(`${base}/api/v1/jurisdictions`)).json();
      expect(anon.code === "unauthenticated", `anonymous API read: ${JSON.stringify(anon)}`);
      await page.goto(`${base}/jurisdictions?q=Baltimore`);
      await page.waitForURL(/\/sign-in\?next=%2Fjurisdictions%3Fq%3DBaltimore$/);
      await expectVisible(page.getByRole("heading", { name: "Sign in", level: 1 }), "sign-in heading");
      expect(
        (await page.getByRole("navigation", { name: "Main" }).count()) === 0,
        "no navigation before sign-in",
      );
      await page.getByRole("textbox", { name: "User name" }).fill("admin");
      await page.getByLabel("Password", { exact: true }).fill("not the password");
      await page.getByLabel("Password", { exact: true }).press("Enter");
      await expectVisible(
        page.getByRole("alert").filter({ hasText: "Wrong user name or password" }),
        "the wrong-password message",
      );
      await shot(page, "00-sign-in-failed");
      // Five failures lock an account for a while; the page says for how long.
      for (let i = 0; i < 5; i++) {
        await context.request.post(`${base}/api/v1/session`, {
          data: { username: "ghost", password: "nope" },
        });
      }
      await page.getByRole("textbox", { name: "User name" }).fill("ghost");
      await page.getByLabel("Password", { exact: true }).fill("nope");
      await page.getByRole("button", { name: "Sign in" }).click();
      const locked = page.getByRole("alert").filter({ hasText: /locked for \d+ more minutes?/ });
      await expectVisible(locked, "the lockout message with its minutes");
      await shot(page, "00-sign-in-locked");
    },
  );

  await step("admin signs in (Enter submits) and lands where they were going", async () => {
    await page.getByRole("textbox", { name: "User name" }).fill("admin");
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await page.waitForURL(/\/jurisdictions\?q=Baltimore$/);
    await expectVisible(page.getByRole("table", { name: "Jurisdictions" }), "jurisdictions after sign-in");
    const account = page.getByRole("button", { name: /^Account: Administrator, Administrator$/ });
    await expectVisible(account, "the user menu with name and role");
    await expectVisible(page.getByRole("button", { name: "Admin" }), "the Admin section in the navigation");
  });

  await step("dashboard shows counts, the yearly chart and the map", async () => {
    await page.goto(`${base}/`);
    await expectVisible(page.getByRole("heading", { name: "Dashboard", level: 1 }), "Dashboard heading");
    await expectVisible(page.getByRole("heading", { name: "Matters per year" }), "chart panel");
    const chart = page.getByRole("img", { name: /chart of matters opened, entered and terminated/i });
    await expectVisible(chart, "the yearly chart");
    await expectVisible(chart.locator(".recharts-line-curve"), "chart lines");
    const maryland = page.getByRole("link", { name: /^Maryland: \d+ matters?/ });
    await expectVisible(maryland, "Maryland on the map");
    const states = await page.locator("path[data-has-matters='true']").count();
    expect(states >= 10, `expected at least 10 coloured states, found ${states}`);
    await page.getByText("Table view", { exact: true }).click();
    await expectVisible(page.getByRole("columnheader", { name: "Opened" }), "the chart's table view");
    await page.getByText("Chart", { exact: true }).click();
    await maryland.hover();
    await expectVisible(page.getByRole("tooltip").filter({ hasText: "Baltimore" }), "map tooltip");
    await shot(page, "01-dashboard");
  });

  await step("a state on the map opens its matters, by keyboard", async () => {
    await page.getByRole("link", { name: /^Maryland: / }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/matters\?state=MD$/);
    await expectVisible(page.getByRole("link", { name: MATTER_TITLE }), "Baltimore in the Maryland list");
  });

  await step("matters list filters to consent decrees in Maryland through the facets", async () => {
    await page.goto(`${base}/matters`);
    await expectVisible(page.getByRole("table", { name: "Matters" }), "matters table");
    // The URL holds the filter: the box is checked once the navigation lands.
    const decree = page.getByRole("checkbox", { name: "Consent decree" });
    await decree.click();
    await page.waitForURL(/kind=consent_decree/);
    expect(await decree.isChecked(), "Consent decree box is checked");
    const state = page.getByRole("combobox", { name: "State" });
    await state.click();
    await state.fill("Maryl");
    await page.getByRole("option", { name: "Maryland (MD)" }).click();
    await page.waitForURL(/state=MD/);
    await page.keyboard.press("Escape");
    const url = new URL(page.url());
    expect(url.searchParams.get("kind") === "consent_decree", `kind in URL: ${url.search}`);
    expect(url.searchParams.get("state") === "MD", `state in URL: ${url.search}`);
    const rows = page.getByRole("table", { name: "Matters" }).locator("tbody tr");
    await expectVisible(rows.filter({ hasText: MATTER_TITLE }), "Baltimore row");
    await poll(async () => {
      const texts = await rows.allInnerTexts();
      return texts.length > 0 && texts.every((t) => /Consent decree/.test(t) && /\bMD\b/.test(t));
    }, "every row to be a Maryland consent decree");
    const csv = page.getByRole("link", { name: "Download CSV" });
    const href = await csv.getAttribute("href");
    expect(
      href?.includes("kind=consent_decree") && href.includes("state=MD"),
      `CSV link keeps filters: ${href}`,
    );
    await shot(page, "02-matters-filtered");
  });

  await step("sorting a column updates the URL and aria-sort", async () => {
    await page.getByRole("button", { name: "Title" }).click();
    await page.waitForURL(/sort=title/);
    const th = page.getByRole("columnheader", { name: "Title" });
    await poll(async () => (await th.getAttribute("aria-sort")) === "ascending", "Title sorted ascending");
  });

  await step("open Baltimore: key facts and timeline", async () => {
    await page.getByRole("link", { name: MATTER_TITLE }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await expectVisible(page.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "matter heading");
    await expectVisible(page.getByText("Baltimore, MD"), "jurisdiction fact");
    await shot(page, "03-matter-overview");
    await page.getByRole("tab", { name: /Timeline/ }).click();
    await page.waitForURL(/\/timeline$/);
    await expectVisible(
      page.getByRole("button", { name: "Add event" }).or(page.getByRole("link", { name: "Add event" })),
      "Add event",
    );
    await shot(page, "04-matter-timeline");
  });

  const monitor = `Monitor e2e ${Date.now()}`;
  await step("edit the monitor, save, reload: the change is kept", async () => {
    await page.getByRole("tab", { name: "Edit" }).click();
    await page.waitForURL(/\/edit$/);
    const before = await getJson(context, `${base}/api/v1/matters/${MATTER}`);
    const field = page.getByRole("textbox", { name: "Monitor" });
    await field.fill(monitor);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await page.reload();
    await expectVisible(page.getByText(monitor, { exact: true }), "the saved monitor after reload");
    const saved = await getJson(context, `${base}/api/v1/matters/${MATTER}`);
    expect(saved.monitor === monitor, `API has monitor ${saved.monitor}`);
    // Editing one field leaves the lists alone.
    expect(saved.agencies.length === before.agencies.length, `agencies kept: ${saved.agencies.length}`);
    expect(saved.sources.length === before.sources.length, `sources kept: ${saved.sources.length}`);
  });

  await step("client-side validation: a bad date is refused next to its field", async () => {
    await page.goto(`${base}/matters/${MATTER}/edit`);
    const ended = page.getByRole("textbox", { name: "Ended" });
    await ended.fill("2017-13");
    await expectVisible(page.getByText("Use a date as YYYY, YYYY-MM or YYYY-MM-DD"), "date error");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-path") === "endedOn");
    await shot(page, "05-validation");
  });

  await step("two editors: the second save gets the conflict message", async () => {
    const pageB = await context.newPage();
    watch(pageB);
    await page.goto(`${base}/matters/${MATTER}/edit`);
    await pageB.goto(`${base}/matters/${MATTER}/edit`);
    await expectVisible(pageB.getByRole("textbox", { name: "Judge" }), "judge field in page B");
    await page.getByRole("textbox", { name: "Judge" }).fill("Judge from page A");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await pageB.getByRole("textbox", { name: "Judge" }).fill("Judge from page B");
    await pageB.getByRole("button", { name: "Save changes" }).click();
    const alert = pageB
      .getByRole("alert")
      .filter({ hasText: "Someone else saved this matter while you were editing" });
    await expectVisible(alert, "the conflict message");
    const text = (await alert.textContent()) ?? "";
    expect(/version \d+/.test(text), `message names the version: ${text}`);
    expect(/Your changes were not saved/.test(text), "message says nothing was saved");
    await shot(pageB, "06-conflict");
    const current = await getJson(context, `${base}/api/v1/matters/${MATTER}`);
    expect(current.judge === "Judge from page A", "page B did not overwrite silently");

    // "Load their version" resets the form to what page A saved.
    await pageB.getByRole("button", { name: "Load their version" }).click();
    const judgeB = pageB.getByRole("textbox", { name: "Judge" });
    expect((await judgeB.inputValue()) === "Judge from page A", "form shows their judge");
    // …after which a save goes through.
    await judgeB.fill("Judge from page B, after loading theirs");
    await pageB.getByRole("button", { name: "Save changes" }).click();
    await pageB.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await expectVisible(pageB.getByText("Judge from page B, after loading theirs"), "B's judge saved");

    // "Overwrite with mine" sends the same change on the current version.
    await page.goto(`${base}/matters/${MATTER}/edit`);
    await pageB.goto(`${base}/matters/${MATTER}/edit`);
    await page.getByRole("textbox", { name: "Court" }).fill("Court from page A");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await pageB.getByRole("textbox", { name: "Court" }).fill("Court from page B");
    await pageB.getByRole("button", { name: "Save changes" }).click();
    await expectVisible(pageB.getByRole("button", { name: "Overwrite with mine" }), "overwrite button");
    await pageB.getByRole("button", { name: "Overwrite with mine" }).click();
    await pageB.waitForURL(new RegExp(`/matters/${MATTER}$`));
    const after = await getJson(context, `${base}/api/v1/matters/${MATTER}`);
    expect(after.court === "Court from page B", `court after overwrite: ${after.court}`);
    await pageB.close();
  });

  await step("create a matter: server errors show next to their field, then it saves", async () => {
    await page.goto(`${base}/matters`);
    await page.getByRole("link", { name: "New matter" }).click();
    await page.waitForURL(/\/matters\/new$/);
    const form = page.getByRole("form", { name: "New matter" });
    await form.getByRole("textbox", { name: "Title" }).fill("E2E technical assistance to Baltimore");
    const slug = form.getByRole("textbox", { name: "Slug" });
    expect((await slug.inputValue()) === "e2e-technical-assistance-to-baltimore", "slug follows the title");
    await form.getByRole("combobox", { name: "Kind" }).click();
    await page.getByRole("option", { name: "Technical assistance" }).click();
    await poll(
      async () => (await form.getByRole("combobox", { name: "Status" }).inputValue()) === "Requested",
      "status to start at the kind's first status",
    );
    const jurisdiction = form.getByRole("combobox", { name: "Jurisdiction" });
    await jurisdiction.click();
    await jurisdiction.fill("Baltim");
    await page.getByRole("option", { name: "Baltimore, MD" }).click();
    await form.getByRole("combobox", { name: "Agencies" }).click();
    await page.getByRole("option", { name: "Baltimore Police Department" }).click();
    await page.keyboard.press("Escape");
    await form.getByRole("textbox", { name: "Opened" }).fill("2024-05");
    await slug.fill(MATTER); // taken: the server refuses it
    await form.getByRole("button", { name: "Create matter" }).click();
    await expectVisible(form.getByText("Already in use"), "the server's message next to Slug");
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-path") === "slug");
    await shot(page, "07-create-error");
    await slug.fill("e2e-ta-baltimore");
    await form.getByRole("button", { name: "Create matter" }).click();
    await page.waitForURL(/\/matters\/e2e-ta-baltimore$/);
    await expectVisible(
      page.getByRole("heading", { name: "E2E technical assistance to Baltimore" }),
      "new matter",
    );
    await expectVisible(page.getByText("May 2024", { exact: true }), "opened date kept at month precision");
    await expectVisible(page.getByText("Baltimore Police Department").first(), "agency on the new matter");
  });

  await step("add a postponed hearing from the timeline: old date struck, new date shown", async () => {
    await page.goto(`${base}/matters/${MATTER}/timeline`);
    await page.getByRole("link", { name: "Add event" }).click();
    await page.waitForURL(/\/timeline\/new$/);
    const form = page.getByRole("form", { name: "New event" });
    await form.getByRole("combobox", { name: "Kind" }).click();
    await page.getByRole("option", { name: "Hearing", exact: true }).click();
    await form.getByRole("textbox", { name: "Date" }).fill("2017-04-06");
    await form.getByRole("textbox", { name: "Time" }).fill("10:00");
    await form.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Postponed" }).click();
    await form.getByRole("textbox", { name: "New date" }).fill("2017-04-07");
    await form.getByRole("textbox", { name: "Title" }).fill("Hearing on the motion to postpone (e2e)");
    await form.getByRole("button", { name: "Add event" }).click();
    await page.waitForURL(/\/timeline$/);
    const item = page.getByText("Hearing on the motion to postpone (e2e)");
    await expectVisible(item, "the new hearing on the timeline");
    await expectVisible(page.locator("s", { hasText: "6 April 2017, 10:00" }), "struck original date");
    await shot(page, "08-timeline-postponed");
  });

  await step("events list filters the department-wide record", async () => {
    await page.goto(`${base}/events`);
    await expectVisible(page.getByRole("table", { name: "Events" }), "events table");
    await page.getByRole("checkbox", { name: "Department-wide record only" }).click();
    await page.waitForURL(/departmentWide=true/);
    const rows = page.getByRole("table", { name: "Events" }).locator("tbody tr");
    await poll(async () => {
      const texts = await rows.allInnerTexts();
      return texts.length > 0 && texts.every((t) => t.includes("Department-wide"));
    }, "only department-wide events");
    await shot(page, "09-events");
  });

  await step("jurisdictions and agencies lists link to their matters", async () => {
    await page.goto(`${base}/jurisdictions?q=Baltimore`);
    const link = page.getByRole("link", { name: /matters in Baltimore$/ });
    await expectVisible(link, "matter count link");
    await link.click();
    await page.waitForURL(/\/matters\?jurisdiction=baltimore-md/);
    await expectVisible(
      page.getByRole("link", { name: MATTER_TITLE }),
      "Baltimore matter in the filtered list",
    );
    await page.goto(`${base}/agencies?q=Baltimore`);
    await expectVisible(page.getByRole("table", { name: "Agencies" }), "agencies table");
    await shot(page, "10-agencies");
  });

  // ---------------------------------------------------------------- accounts, roles, audit

  /** Create a user in Admin › Users; returns the password shown once. */
  async function createUser(username, displayName, role) {
    await page.goto(`${base}/admin/users`);
    await expectVisible(page.getByRole("table", { name: "Users" }), "users table");
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByRole("textbox", { name: "User name" }).fill(username);
    await dialog.getByRole("textbox", { name: "Display name" }).fill(displayName);
    await dialog.getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: role, exact: true }).click();
    await dialog.getByRole("button", { name: "Create user" }).click();
    const shown = page.getByRole("dialog", { name: `User ${username} created` });
    const box = shown.getByRole("textbox", { name: `Password for ${username}` });
    await expectVisible(box, "the generated password");
    const password = await box.inputValue();
    expect(password.length >= 12, `a generated password: ${password}`);
    return { password, dialog: shown };
  }

  const REVIEWER = { username: "rita", name: "Rita Reviewer" };
  const VIEWER = { username: "vera", name: "Vera Viewer" };
  const reviewerMonitor = `Monitor set by the reviewer ${Date.now()}`;
  let reviewerContext;
  let reviewerPage;
  let viewerContext;
  let viewerPage;

  await step("admin creates a reviewer in Admin › Users; the password is shown once", async () => {
    const { password, dialog } = await createUser(REVIEWER.username, REVIEWER.name, "Reviewer");
    REVIEWER.password = password;
    await expectVisible(dialog.getByText("Copy it now: it is shown only once"), "the shown-once warning");
    await expectVisible(
      dialog.getByRole("button", { name: `Copy password for ${REVIEWER.username}` }),
      "copy",
    );
    await shot(page, "14-user-created-password");
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    const row = page.getByRole("row").filter({ hasText: REVIEWER.name });
    await expectVisible(row.getByText("Reviewer", { exact: true }), "the reviewer in the list");
    expect((await page.getByRole("textbox", { name: /Password for/ }).count()) === 0, "the password is gone");
  });

  await step("the reviewer signs in in a second browser and edits a matter", async () => {
    reviewerContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: "light",
    });
    reviewerContext.setDefaultTimeout(STEP_TIMEOUT);
    reviewerPage = await reviewerContext.newPage();
    watch(reviewerPage);
    await signIn(reviewerPage, base, REVIEWER.username, REVIEWER.password, `/matters/${MATTER}/edit`);
    await reviewerPage.waitForURL(new RegExp(`/matters/${MATTER}/edit$`));
    await expectVisible(
      reviewerPage.getByRole("button", { name: `Account: ${REVIEWER.name}, Reviewer` }),
      "the reviewer's name and role in the header",
    );
    expect(
      (await reviewerPage.getByRole("button", { name: "Admin" }).count()) === 0,
      "no Admin section for a reviewer",
    );
    await reviewerPage.getByRole("textbox", { name: "Monitor" }).fill(reviewerMonitor);
    await reviewerPage.getByRole("button", { name: "Save changes" }).click();
    await reviewerPage.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await expectVisible(reviewerPage.getByText(reviewerMonitor, { exact: true }), "the saved monitor");
  });

  await step("the matter's History tab shows the change with the reviewer's name", async () => {
    await page.goto(`${base}/matters/${MATTER}`);
    await page.getByRole("tab", { name: "History" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}/history$`));
    const changes = page.getByRole("list", { name: "Changes" });
    const newest = changes.getByRole("listitem").first();
    await expectVisible(newest, "the newest change");
    await expectVisible(newest.getByText("Matter updated"), "the action");
    await expectVisible(newest.getByText(REVIEWER.username, { exact: true }), "the reviewer's name");
    await expectVisible(newest.getByText("· Reviewer"), "the reviewer's role");
    const monitorRow = newest
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "Monitor" }) });
    await expectVisible(monitorRow.getByText(reviewerMonitor), "the new monitor in the diff");
    await expectVisible(monitorRow.getByText(monitor), "the old monitor in the diff");
    const text = (await newest.textContent()) ?? "";
    expect(!text.includes("{") && !text.includes('"monitor"'), `a readable diff, not JSON: ${text}`);
    await shot(page, "15-matter-history");
  });

  await step("the audit log shows it, filtered by user, with a readable diff and the CSV link", async () => {
    await page.goto(`${base}/admin/audit`);
    await expectVisible(page.getByRole("table", { name: "Audit log" }), "audit table");
    const actor = page.getByRole("combobox", { name: "User" });
    await actor.click();
    await page.getByRole("option", { name: new RegExp(`^${REVIEWER.username} `) }).click();
    await page.waitForURL(/actor=rita/);
    const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody > tr");
    await poll(async () => {
      const texts = await rows.allInnerTexts();
      return texts.length > 0 && texts.every((t) => t.includes(REVIEWER.username));
    }, "only the reviewer's entries");
    const row = rows.filter({ hasText: "Matter updated" }).first();
    await expectVisible(row.getByRole("link", { name: MATTER_TITLE }), "a link to the matter");
    await row.getByRole("button", { name: /Show the changes/ }).click();
    const diff = page.getByRole("table", { name: "Changed fields" });
    await expectVisible(diff.getByRole("rowheader", { name: "Monitor" }), "Monitor in the diff");
    await expectVisible(diff.getByText(reviewerMonitor), "the new value in the diff");
    const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(href === "/api/v1/audit.csv?actor=rita", `CSV link keeps the filter: ${href}`);
    const csv = await (await context.request.get(`${base}${href}`)).text();
    expect(csv.includes("MATTER_UPDATED") && csv.includes(reviewerMonitor), "the CSV holds the change");
    await shot(page, "16-audit-log");
    await row.getByRole("link", { name: MATTER_TITLE }).click();
    await page.waitForURL(/\/matters\/[0-9a-f-]{36}\/history$/);
    await expectVisible(
      page.getByRole("heading", { name: MATTER_TITLE, level: 1 }),
      "the record's history page",
    );
  });

  await step("a viewer sees no edit actions, and the API refuses the viewer's PATCH (403)", async () => {
    const { password, dialog } = await createUser(VIEWER.username, VIEWER.name, "Viewer");
    VIEWER.password = password;
    await dialog.getByRole("button", { name: "Done" }).click();
    viewerContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: "light",
    });
    viewerContext.setDefaultTimeout(STEP_TIMEOUT);
    viewerPage = await viewerContext.newPage();
    watch(viewerPage);
    await signIn(viewerPage, base, VIEWER.username, VIEWER.password, `/matters/${MATTER}`);
    await expectVisible(viewerPage.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "the matter");
    await expectVisible(viewerPage.getByRole("tab", { name: "History" }), "History tab for a viewer");
    expect((await viewerPage.getByRole("tab", { name: "Edit" }).count()) === 0, "no Edit tab for a viewer");
    await viewerPage.getByRole("tab", { name: /Timeline/ }).click();
    await viewerPage.waitForURL(/\/timeline$/);
    await expectVisible(viewerPage.getByText("Oldest first"), "the timeline");
    expect((await viewerPage.getByRole("link", { name: "Add event" }).count()) === 0, "no Add event");
    expect(
      (await viewerPage.getByRole("link", { name: /^Edit event/ }).count()) === 0,
      "no Edit event links",
    );
    await shot(viewerPage, "17-viewer-matter-timeline");
    await viewerPage.getByRole("link", { name: "Matters", exact: true }).click();
    await expectVisible(viewerPage.getByRole("table", { name: "Matters" }), "matters list for a viewer");
    expect((await viewerPage.getByRole("link", { name: "New matter" }).count()) === 0, "no New matter");
    expect((await viewerPage.getByRole("button", { name: "Admin" }).count()) === 0, "no Admin for a viewer");
    await viewerPage.goto(`${base}/admin/users`);
    await expectVisible(viewerPage.getByRole("heading", { name: "Not allowed" }), "users page refused");

    const session = await getJson(viewerContext, `${base}/api/v1/session`);
    expect(session.user?.role === "viewer" && session.csrfToken, "the viewer's session and proof");
    const matter = await getJson(viewerContext, `${base}/api/v1/matters/${MATTER}`);
    const res = await viewerPage.request.patch(`${base}/api/v1/matters/${MATTER}`, {
      headers: { "x-csrf-token": session.csrfToken, "if-match": `"${matter.version}"` },
      data: { monitor: "changed by a viewer" },
    });
    const body = await res.json();
    expect(res.status() === 403 && body.code === "forbidden", `viewer PATCH: ${res.status()} ${body.code}`);
  });

  await step("a write without the anti-CSRF header is refused (403 csrf_failed)", async () => {
    const matter = await getJson(reviewerContext, `${base}/api/v1/matters/${MATTER}`);
    const answer = await reviewerPage.evaluate(
      async ({ path, version }) => {
        const res = await fetch(path, {
          method: "PATCH",
          headers: { "content-type": "application/json", "if-match": `"${version}"` },
          body: JSON.stringify({ judge: "no proof" }),
        });
        return { status: res.status, body: await res.json() };
      },
      { path: `/api/v1/matters/${MATTER}`, version: matter.version },
    );
    expect(
      answer.status === 403 && answer.body.code === "csrf_failed",
      `no proof: ${JSON.stringify(answer)}`,
    );
    const after = await getJson(reviewerContext, `${base}/api/v1/matters/${MATTER}`);
    expect(after.version === matter.version, "nothing was saved");
  });

  await step("settings: an API token is shown once, works, and is revoked after a confirm", async () => {
    await reviewerPage.getByRole("button", { name: /^Account: / }).click();
    await reviewerPage.getByRole("menuitem", { name: "Settings" }).click();
    await reviewerPage.waitForURL(/\/settings$/);
    await reviewerPage.getByRole("textbox", { name: "Token name" }).fill("e2e script");
    await reviewerPage.getByRole("button", { name: "Create token" }).click();
    const dialog = reviewerPage.getByRole("dialog", { name: "Your new API token" });
    const box = dialog.getByRole("textbox", { name: "Token e2e script" });
    await expectVisible(box, "the new token");
    const token = await box.inputValue();
    await shot(reviewerPage, "18-settings-token");
    const who = await (
      await fetch(`${base}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(
      who.user?.username === REVIEWER.username && who.authVia === "token",
      `token: ${JSON.stringify(who)}`,
    );
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    const tokens = reviewerPage.getByRole("table", { name: "API tokens" });
    await expectVisible(tokens.getByText("e2e script"), "the token in the list");
    await reviewerPage.getByRole("button", { name: "Revoke e2e script" }).click();
    await reviewerPage
      .getByRole("dialog", { name: "Revoke this token?" })
      .getByRole("button", { name: "Revoke token" })
      .click();
    await expectVisible(tokens.getByText(/^Revoked /), "the token revoked");
    const refused = await fetch(`${base}/api/v1/matters`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status === 401, `revoked token: ${refused.status}`);
  });

  await step("settings: changing the password keeps this session working (new CSRF proof)", async () => {
    const newPassword = "a-new-reviewer-password";
    await reviewerPage.getByLabel("Current password", { exact: true }).fill("wrong current password");
    await reviewerPage.getByLabel("New password", { exact: true }).fill(newPassword);
    await reviewerPage.getByLabel("New password again", { exact: true }).fill(newPassword);
    await reviewerPage.getByRole("button", { name: "Change password" }).click();
    await expectVisible(
      reviewerPage.getByText("Wrong password"),
      "wrong current password, next to its field",
    );
    await reviewerPage.getByLabel("Current password", { exact: true }).fill(REVIEWER.password);
    await reviewerPage.getByRole("button", { name: "Change password" }).click();
    await expectVisible(reviewerPage.getByText("Password changed"), "the confirmation");
    REVIEWER.password = newPassword;
    // A write through the UI right after: the client holds the new proof.
    await reviewerPage.goto(`${base}/matters/${MATTER}/edit`);
    await reviewerPage.getByRole("textbox", { name: "Judge" }).fill("Judge after the password change");
    await reviewerPage.getByRole("button", { name: "Save changes" }).click();
    await reviewerPage.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await expectVisible(reviewerPage.getByText("Judge after the password change"), "saved after the change");
  });

  await step("sign out from the header menu; the pages then ask to sign in again", async () => {
    await reviewerPage.getByRole("button", { name: /^Account: / }).click();
    await reviewerPage.getByRole("menuitem", { name: "Sign out" }).click();
    await reviewerPage.waitForURL(/\/sign-in$/);
    // Agencies are not public (matters and events are, under public reading).
    await reviewerPage.goto(`${base}/agencies`);
    await reviewerPage.waitForURL(/\/sign-in\?next=%2Fagencies$/);
    await reviewerPage.getByRole("textbox", { name: "User name" }).fill(REVIEWER.username);
    await reviewerPage.getByLabel("Password", { exact: true }).fill(REVIEWER.password);
    await reviewerPage.getByLabel("Password", { exact: true }).press("Enter");
    await reviewerPage.waitForURL(/\/agencies$/);
    await expectVisible(
      reviewerPage.getByRole("table", { name: "Agencies" }),
      "agencies after signing in again",
    );
  });

  // ---------------------------------------------------------------- second factor (TOTP)

  const APPROVER = { username: "alma", name: "Alma Approver" };
  let approverContext;
  let approverPage;
  let totpSecret;
  let recoveryCodes = [];

  /** Sign out from the header menu, then give the approver's user name and password. */
  async function approverPassword() {
    await approverPage.getByRole("button", { name: /^Account: / }).click();
    await approverPage.getByRole("menuitem", { name: "Sign out" }).click();
    await approverPage.waitForURL(/\/sign-in$/);
    await approverPage.getByRole("textbox", { name: "User name" }).fill(APPROVER.username);
    await approverPage.getByLabel("Password", { exact: true }).fill(APPROVER.password);
    await approverPage.getByLabel("Password", { exact: true }).press("Enter");
    await expectVisible(
      approverPage.getByRole("heading", { name: "Two-factor authentication", level: 1 }),
      "the second step of signing in",
    );
  }

  await step("an approver must use two-factor: every page goes to Settings with a banner", async () => {
    const { password, dialog } = await createUser(APPROVER.username, APPROVER.name, "Approving official");
    APPROVER.password = password;
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    approverContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    approverContext.setDefaultTimeout(STEP_TIMEOUT);
    approverPage = await approverContext.newPage();
    watch(approverPage);
    await signIn(approverPage, base, APPROVER.username, APPROVER.password, "/matters");
    await approverPage.waitForURL(/\/settings$/);
    const banner = approverPage
      .getByRole("alert")
      .filter({ hasText: "Your role must use two-factor authentication: set it up to continue" });
    await expectVisible(banner, "the must-set-up banner");
    const api = await approverContext.request.get(`${base}/api/v1/matters`);
    const body = await api.json();
    expect(api.status() === 403 && body.code === "second_factor_required", `API: ${api.status()}`);
    await approverPage.getByRole("link", { name: "Agencies", exact: true }).click();
    await approverPage.waitForURL(/\/settings$/);
    await expectVisible(banner, "the banner after following a link");
    await expectVisible(approverPage.getByRole("button", { name: "Set up" }), "the set-up button");
    await shot(approverPage, "21-totp-required");
  });

  await step(
    "set up in Settings: secret and app link, a wrong code refused, then ten recovery codes",
    async () => {
      const section = approverPage.getByRole("region", { name: "Two-factor authentication" });
      await expectVisible(section.getByText("Off", { exact: true }), "status off");
      await section.getByRole("button", { name: "Set up" }).click();
      const box = section.getByRole("textbox", { name: "Secret key" });
      await expectVisible(box, "the secret key");
      const shown = await box.inputValue();
      expect(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/.test(shown), `the secret in groups of four: ${shown}`);
      totpSecret = shown.replace(/\s/g, "");
      const link = section.getByRole("link", { name: "Open in authenticator app" });
      const href = await link.getAttribute("href");
      expect(href?.startsWith("otpauth://totp/") && href.includes(`secret=${totpSecret}`), `link: ${href}`);
      await shot(approverPage, "22-totp-setup");
      const codeBox = section.getByRole("textbox", { name: "Code from the app" });
      await codeBox.fill(totp(totpSecret, -10));
      await section.getByRole("button", { name: "Turn on" }).click();
      await expectVisible(section.getByText(/That code does not match/), "the wrong code, next to its field");
      await codeBox.fill(totp(totpSecret));
      await section.getByRole("button", { name: "Turn on" }).click();
      const list = section.getByRole("list", { name: "Recovery codes" });
      await expectVisible(list, "the recovery codes");
      recoveryCodes = await list.getByRole("listitem").allInnerTexts();
      expect(
        recoveryCodes.length === 10 &&
          recoveryCodes.every((c) => /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/.test(c)),
        `ten recovery codes: ${recoveryCodes.join(", ")}`,
      );
      await expectVisible(section.getByText(/shown only once/), "the shown-once warning");
      await shot(approverPage, "23-totp-recovery-codes");
      const [download] = await Promise.all([
        approverPage.waitForEvent("download"),
        section.getByRole("button", { name: "Download as .txt" }).click(),
      ]);
      expect(
        download.suggestedFilename() === `accord-recovery-codes-${APPROVER.username}.txt`,
        "the .txt name",
      );
      await expectVisible(section.getByText("On", { exact: true }), "status on");
      expect(
        (await approverPage.getByText(/Your role must use two-factor/).count()) === 0,
        "the banner is gone",
      );
      await section.getByRole("button", { name: "I have saved them" }).click();
      expect((await section.getByRole("list", { name: "Recovery codes" }).count()) === 0, "codes shown once");
      await approverPage.getByRole("link", { name: "Agencies", exact: true }).click();
      await approverPage.waitForURL(/\/agencies$/);
    },
  );

  await step(
    "signing in again asks for the app's code: a wrong one is refused, the right one gets in",
    async () => {
      await approverPassword();
      const codeBox = approverPage.getByRole("textbox", { name: "Authentication code" });
      expect((await codeBox.getAttribute("autocomplete")) === "one-time-code", "autocomplete=one-time-code");
      expect((await codeBox.getAttribute("inputmode")) === "numeric", "a numeric keyboard");
      expect(await codeBox.evaluate((el) => el === document.activeElement), "the code box has the focus");
      await shot(approverPage, "24-sign-in-code");
      await codeBox.fill(totp(totpSecret, -10));
      await codeBox.press("Enter");
      await expectVisible(
        approverPage.getByRole("alert").filter({ hasText: "That code did not work" }),
        "the wrong-code message",
      );
      await shot(approverPage, "25-sign-in-code-failed");
      // The set-up used this step's code; a code is never taken twice, so the app's next one.
      await codeBox.fill(totp(totpSecret, 1));
      await codeBox.press("Enter");
      await approverPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await expectVisible(
        approverPage.getByRole("button", { name: `Account: ${APPROVER.name}, Approving official` }),
        "signed in as the approver",
      );
    },
  );

  await step("a recovery code signs in once; used again it is refused", async () => {
    await approverPassword();
    await approverPage.getByRole("button", { name: "Use a recovery code" }).click();
    const box = approverPage.getByRole("textbox", { name: "Recovery code" });
    await expectVisible(box, "the recovery-code box");
    await box.fill(recoveryCodes[0]);
    await shot(approverPage, "26-sign-in-recovery-code");
    await box.press("Enter");
    await approverPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await approverPassword();
    await approverPage.getByRole("button", { name: "Use a recovery code" }).click();
    await approverPage.getByRole("textbox", { name: "Recovery code" }).fill(recoveryCodes[0]);
    await approverPage.getByRole("textbox", { name: "Recovery code" }).press("Enter");
    await expectVisible(
      approverPage.getByRole("alert").filter({ hasText: "That code did not work" }),
      "a used recovery code refused",
    );
    await approverPage.getByRole("textbox", { name: "Recovery code" }).fill(recoveryCodes[1].toUpperCase());
    await approverPage.getByRole("button", { name: "Verify and sign in" }).click();
    await approverPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  });

  await step("removing two-factor asks for the password; the role then must set it up again", async () => {
    await approverPage.goto(`${base}/settings`);
    const section = approverPage.getByRole("region", { name: "Two-factor authentication" });
    await section.getByRole("button", { name: "Remove" }).click();
    const dialog = approverPage.getByRole("dialog", { name: "Remove two-factor authentication?" });
    await dialog.getByLabel("Your password", { exact: true }).fill("not my password");
    await dialog.getByRole("button", { name: "Remove" }).click();
    await expectVisible(dialog.getByText("Wrong password"), "the wrong password, next to its field");
    await dialog.getByLabel("Your password", { exact: true }).fill(APPROVER.password);
    await dialog.getByRole("button", { name: "Remove" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectVisible(section.getByText("Off", { exact: true }), "status off again");
    await expectVisible(approverPage.getByText(/Your role must use two-factor/), "the banner again");
    await approverContext.close();
  });

  await step("deactivating the viewer ends their session: their next request goes to sign-in", async () => {
    await page.goto(`${base}/admin/users`);
    await page.getByRole("button", { name: `Deactivate ${VIEWER.username}` }).click();
    await page
      .getByRole("dialog", { name: "Deactivate this user?" })
      .getByRole("button", { name: "Deactivate" })
      .click();
    const row = page.getByRole("row").filter({ hasText: VIEWER.name });
    await expectVisible(row.getByText("Deactivated"), "the viewer deactivated");
    await page.getByRole("button", { name: `Reset the password of ${REVIEWER.username}` }).click();
    await page
      .getByRole("dialog", { name: "Reset the password?" })
      .getByRole("button", { name: "Reset password" })
      .click();
    await expectVisible(
      page.getByRole("dialog", { name: `New password for ${REVIEWER.username}` }).getByRole("textbox"),
      "the reset password, shown once",
    );
    await shot(page, "19-admin-reset-password");
    await page.keyboard.press("Escape");
    await page
      .getByRole("dialog", { name: `New password for ${REVIEWER.username}` })
      .waitFor({ state: "hidden" });
    // The viewer's open page: the next API call answers 401, and the app asks to sign in.
    await viewerPage.getByRole("link", { name: "Agencies", exact: true }).click();
    await viewerPage.waitForURL(/\/sign-in\?next=%2Fagencies$/);
    await expectVisible(
      viewerPage.getByRole("heading", { name: "Sign in" }),
      "sign-in for the deactivated viewer",
    );
    await reviewerContext.close();
    await viewerContext.close();
  });

  await step("editing a user someone else just changed gets the conflict message", async () => {
    await page.goto(`${base}/admin/users`);
    await page.getByRole("button", { name: `Edit ${VIEWER.username}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit ${VIEWER.username}` });
    await expectVisible(dialog.getByRole("textbox", { name: "Display name" }), "the edit form");
    // Meanwhile, someone else renames the user.
    const session = await getJson(context, `${base}/api/v1/session`);
    const vera = await getJson(context, `${base}/api/v1/users/${VIEWER.username}`);
    const res = await context.request.patch(`${base}/api/v1/users/${vera.id}`, {
      headers: { "x-csrf-token": session.csrfToken, "if-match": `"${vera.version}"` },
      data: { displayName: "Vera, renamed elsewhere" },
    });
    expect(res.ok(), `the other rename: ${res.status()}`);
    await dialog.getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: "Monitor", exact: true }).click();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    const alert = dialog
      .getByRole("alert")
      .filter({ hasText: "Someone else saved this user while you were editing" });
    await expectVisible(alert, "the conflict message");
    await shot(page, "20-user-conflict");
    await dialog.getByRole("button", { name: "Overwrite with mine" }).click();
    await dialog.waitFor({ state: "hidden" });
    const after = await getJson(context, `${base}/api/v1/users/${vera.id}`);
    expect(
      after.role === "monitor" && after.displayName === "Vera, renamed elsewhere",
      `only the role was sent again: ${after.role}, ${after.displayName}`,
    );
  });

  // ---------------------------------------------------------------- monitors and public reading

  const MONITOR = { username: "mona", name: "Mona Monitor" };
  let monitorContext;
  let monitorPage;

  await step("admin assigns a new monitor to a matter from its Monitors card", async () => {
    const { password, dialog } = await createUser(MONITOR.username, MONITOR.name, "Monitor");
    MONITOR.password = password;
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.goto(`${base}/matters/${MATTER}`);
    const card = page.getByRole("region", { name: "Monitors" });
    await expectVisible(card.getByText("No monitor is assigned to this matter."), "no monitor yet");
    await card.getByRole("combobox", { name: "Assign a monitor" }).click();
    await page.getByRole("option", { name: `${MONITOR.name} (${MONITOR.username})` }).click();
    const assigned = card.getByRole("list", { name: "Assigned monitors" }).getByRole("listitem");
    await expectVisible(assigned.filter({ hasText: MONITOR.name }), "the monitor in the card");
    await expectVisible(assigned.getByText(/^since .+ · by admin$/), "since when, and by whom");
    await expectVisible(page.getByText("Public", { exact: true }), "the Public badge in the header");
    await card.scrollIntoViewIfNeeded();
    await shot(page, "27-matter-monitors");
    const list = await getJson(context, `${base}/api/v1/assignments?user=${MONITOR.username}`);
    expect(list.total === 1 && list.items[0].matter.slug === MATTER, `assignments: ${JSON.stringify(list)}`);
  });

  await step("the monitor signs in and reads only that matter, with no edit action", async () => {
    monitorContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: "light",
    });
    monitorContext.setDefaultTimeout(STEP_TIMEOUT);
    monitorPage = await monitorContext.newPage();
    watch(monitorPage);
    await signIn(monitorPage, base, MONITOR.username, MONITOR.password, "/matters");
    await monitorPage.waitForURL(/\/matters$/);
    await expectVisible(
      monitorPage.getByRole("button", { name: `Account: ${MONITOR.name}, Monitor` }),
      "signed in as the monitor",
    );
    const rows = monitorPage.getByRole("table", { name: "Matters" }).locator("tbody tr");
    await expectVisible(rows.filter({ hasText: MATTER_TITLE }), "the assigned matter");
    expect((await rows.count()) === 1, `exactly one matter: ${await rows.count()}`);
    await expectVisible(monitorPage.getByText("1–1 of 1 matters"), "one matter in all");
    expect((await monitorPage.getByRole("link", { name: "New matter" }).count()) === 0, "no New matter");
    await monitorPage.getByRole("link", { name: MATTER_TITLE }).click();
    await expectVisible(monitorPage.getByRole("tab", { name: /Timeline/ }), "the matter's tabs");
    expect((await monitorPage.getByRole("tab", { name: "Edit" }).count()) === 0, "no Edit tab for a monitor");
    expect((await monitorPage.getByRole("region", { name: "Monitors" }).count()) === 0, "no Monitors card");
    const other = await monitorContext.request.get(`${base}/api/v1/matters/e2e-ta-baltimore`);
    expect(other.status() === 404, `another matter: ${other.status()}`);
  });

  await step("Users: a monitor's matters in a drawer; several more assigned at once", async () => {
    await page.goto(`${base}/admin/users`);
    await page.getByRole("button", { name: `Matters (1) of ${MONITOR.username}` }).click();
    const drawer = page.getByRole("dialog", { name: `Matters of ${MONITOR.name}` });
    const table = drawer.getByRole("table", { name: `Matters of ${MONITOR.username}` });
    await expectVisible(table.getByRole("link", { name: MATTER_TITLE }), "the assigned matter, linked");
    const picker = drawer.getByRole("combobox", { name: "Assign matters" });
    await picker.click();
    await picker.fill("Chicago");
    const options = page.getByRole("option", { name: /Chicago/ });
    await poll(async () => (await options.count()) >= 2, "two Chicago matters to pick");
    await options.first().click();
    await options.nth(1).click();
    await page.keyboard.press("Escape");
    await drawer.getByRole("button", { name: "Assign 2 matters" }).click();
    await poll(async () => (await table.locator("tbody tr").count()) === 3, "three matters in the drawer");
    await shot(page, "28-users-monitor-matters");
    await page.keyboard.press("Escape");
    await expectVisible(
      page.getByRole("button", { name: `Matters (3) of ${MONITOR.username}` }),
      "the count in the row",
    );
    await monitorPage.goto(`${base}/matters`);
    const rows = monitorPage.getByRole("table", { name: "Matters" }).locator("tbody tr");
    await poll(async () => (await rows.count()) === 3, "the monitor's list to hold three matters");
    await monitorContext.close();
  });

  await step("public reading: an anonymous visitor browses public matters read-only", async () => {
    const anonContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: "light",
    });
    anonContext.setDefaultTimeout(STEP_TIMEOUT);
    const anon = await anonContext.newPage();
    watch(anon);
    await anon.goto(`${base}/`);
    await anon.waitForURL(/\/matters$/);
    const nav = anon.getByRole("navigation", { name: "Main" });
    await expectVisible(nav.getByRole("link", { name: "Matters" }), "Matters in the navigation");
    expect(
      (await nav.getByRole("link").allInnerTexts()).join("|") ===
        "Matters|Documents|Provisions|Calendar & events",
      `only the public sections: ${await nav.getByRole("link").allInnerTexts()}`,
    );
    await expectVisible(anon.getByRole("link", { name: "Sign in", exact: true }), "the header's Sign in");
    await anon.getByRole("searchbox", { name: "Text" }).fill("Baltimore");
    await anon.waitForURL(/q=Baltimore/);
    await expectVisible(anon.getByRole("link", { name: MATTER_TITLE }), "a public matter in the list");
    expect((await anon.getByRole("link", { name: "New matter" }).count()) === 0, "no New matter");
    // The matter created earlier is not public (new matters start private).
    await poll(
      async () =>
        (await anon.getByRole("link", { name: "E2E technical assistance to Baltimore" }).count()) === 0,
      "the private matter to be left out",
    );
    await shot(anon, "29-public-matters");
    await anon.getByRole("link", { name: MATTER_TITLE }).click();
    await expectVisible(anon.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "the matter");
    await expectVisible(anon.getByRole("tab", { name: /Timeline/ }), "the Timeline tab");
    expect((await anon.getByRole("tab", { name: "History" }).count()) === 0, "no History tab");
    expect((await anon.getByRole("tab", { name: "Edit" }).count()) === 0, "no Edit tab");
    expect((await anon.getByRole("region", { name: "Monitors" }).count()) === 0, "no Monitors card");
    await shot(anon, "30-public-matter");
    await anon.getByRole("tab", { name: /Timeline/ }).click();
    await anon.waitForURL(/\/timeline$/);
    expect((await anon.getByRole("link", { name: "Add event" }).count()) === 0, "no Add event");
    await anon.goto(`${base}/matters/${MATTER}/history`);
    await anon.waitForURL(/\/sign-in\?next=/);
    await anon.goto(`${base}/events`);
    await expectVisible(anon.getByRole("table", { name: "Events" }), "the public events");
    // Marked public in its form, the private matter opens for them too.
    await page.goto(`${base}/matters/e2e-ta-baltimore/edit`);
    await page.getByRole("switch", { name: "Public" }).check({ force: true });
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(/\/matters\/e2e-ta-baltimore$/);
    await anon.goto(`${base}/matters/e2e-ta-baltimore`);
    await expectVisible(
      anon.getByRole("heading", { name: "E2E technical assistance to Baltimore", level: 1 }),
      "the matter once public",
    );
    await anonContext.close();
  });

  await step("header search goes to the search page; dark theme and tablet width render", async () => {
    await page.goto(`${base}/`);
    const search = page.getByRole("searchbox", { name: "Search matters and documents" });
    await search.fill("Baltimore");
    await search.press("Enter");
    await page.waitForURL(/\/search\?q=Baltimore/);
    await expectVisible(page.getByRole("link", { name: MATTER_TITLE }), "search result");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.goto(`${base}/`);
    await expectVisible(page.getByRole("link", { name: /^Maryland: / }), "map in dark theme");
    const scheme = await page.evaluate(() =>
      document.documentElement.getAttribute("data-mantine-color-scheme"),
    );
    expect(scheme === "dark", `color scheme is ${scheme}`);
    await shot(page, "11-dashboard-dark");
    await page.getByRole("button", { name: "Switch to light theme" }).click();
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${base}/matters?kind=consent_decree`);
    await expectVisible(page.getByRole("table", { name: "Matters" }), "matters table on a tablet");
    await shot(page, "12-matters-tablet");
    await page.goto(`${base}/matters/${MATTER}`);
    await expectVisible(page.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "matter on a tablet");
    await shot(page, "13-matter-tablet");
  });

  // ---------------------------------------------------------------- the review (cycles, drafts, sign-off)

  const REVIEW_REVIEWER = { username: "rosa", name: "Rosa Reviewer" };
  const FORM_CYCLE = { name: `E2E review ${Date.now()}` };
  // The review the issue describes: the bundled 2017 cycle, Baltimore's decree, all six criteria.
  const CYCLE = {
    slug: "2017-review",
    name: "2017 review of Department activities with state and local law enforcement",
  };
  /** The rating given on each of the six criteria, and the tone its matrix cell takes. */
  const RATINGS = [
    ["1", /^1 Advances the safety/, "Advances", "good"],
    ["2", /^2 Promotes officer safety/, "Neutral", "neutral"],
    ["3", /^3 Protects and respects/, "Advances", "good"],
    ["4", /^4 Respects local control/, "Conflicts", "bad"],
    ["5", /^5 Is rooted in timely/, "Neutral", "neutral"],
    ["6", /^6 Does not impede recruitment/, "Not applicable", "none"],
  ];
  const ENTERED = "Baltimore Police Department consent decree: entered by the court";
  const RETURN_COMMENT = "Say what the monitor reports on officer morale under criterion 2.";
  let reviewUrl;
  let rosaContext;
  let rosaPage;
  let almaContext;
  let almaPage;

  await step(
    "reviews: admin prepares a cycle in the form: criteria with provision topics, its own scale",
    async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${base}/reviews`);
      await page.getByRole("link", { name: "New cycle" }).click();
      await page.waitForURL(/\/reviews\/new$/);
      const form = page.getByRole("form", { name: "New cycle" });
      await form.getByRole("textbox", { name: "Name" }).fill(FORM_CYCLE.name);
      FORM_CYCLE.slug = await form.getByRole("textbox", { name: "Slug" }).inputValue();
      expect(/^e2e-review-\d+$/.test(FORM_CYCLE.slug), `the slug follows the name: ${FORM_CYCLE.slug}`);
      await form
        .getByRole("textbox", { name: "Mandate", exact: true })
        .fill("Review every decree against two principles.");
      await form.getByRole("textbox", { name: "Due" }).fill("2030-06");
      await form.getByRole("combobox", { name: "Matter kinds" }).click();
      await page.getByRole("option", { name: "Consent decree" }).click();
      await page.keyboard.press("Escape");
      await form.getByRole("combobox", { name: "Matter statuses" }).click();
      await page.getByRole("option", { name: "Active", exact: true }).click();
      await page.getByRole("option", { name: "Partially terminated" }).click();
      await page.keyboard.press("Escape");
      // "Add criterion" puts the keyboard in the new row's code box.
      await form.getByRole("button", { name: "Add criterion" }).click();
      await page.keyboard.type("A");
      await form
        .getByRole("textbox", { name: "Title of criterion 1" })
        .fill("Does not impede the training of officers");
      await form.getByRole("combobox", { name: "Provision topics of criterion 1" }).click();
      await page.getByRole("option", { name: "Training", exact: true }).click();
      await page.getByRole("option", { name: "Recruitment and hiring" }).click();
      await page.keyboard.press("Escape");
      await form.getByRole("button", { name: "Add criterion" }).click();
      await page.keyboard.type("B");
      await form
        .getByRole("textbox", { name: "Title of criterion 2" })
        .fill("Respects local control of policing");
      await expectVisible(form.getByText(/^\d+ matters in scope today/), "the count of matters in scope");
      // The cycle's own rating scale: a fifth level, its code following its label, moved up to second.
      await form.getByRole("button", { name: "Add level" }).click();
      await page.keyboard.type("Partly advances");
      const code = await form.getByRole("textbox", { name: "Code of level 5" }).inputValue();
      expect(code === "partly_advances", `the level's code follows its label: ${code}`);
      await form.getByRole("combobox", { name: "Tone of level 5" }).click();
      await page.getByRole("option", { name: "Good" }).click();
      for (const n of [5, 4, 3]) await form.getByRole("button", { name: `Move level ${n} up` }).click();
      expect(
        (await form.getByRole("textbox", { name: "Label of level 2" }).inputValue()) === "Partly advances",
        "the new level is second",
      );
      await form.getByRole("button", { name: "Create cycle" }).click();
      await page.waitForURL(new RegExp(`/reviews/${FORM_CYCLE.slug}$`));
      await expectVisible(page.getByRole("heading", { name: "Criteria (2)" }), "the two criteria");
      await expectVisible(
        page.getByText("Provision topics: Training, Recruitment and hiring"),
        "the criterion's topics",
      );
      const created = await getJson(context, `${base}/api/v1/review-cycles/${FORM_CYCLE.slug}`);
      const scale = created.ratingScale.map((l) => `${l.code}:${l.tone}`).join(",");
      expect(
        scale === "advances:good,partly_advances:good,neutral:neutral,conflicts:bad,not_applicable:none",
        `the cycle's scale: ${scale}`,
      );
      const topics = created.criteria.map((c) => c.topics.join("+")).join(",");
      expect(topics === "training+recruitment_hiring,", `the criteria's topics: ${topics}`);
    },
  );

  await step(
    "reviews: admin starts the bundled 2017 cycle; it says how many reviews it creates",
    async () => {
      const cycle = await getJson(context, `${base}/api/v1/review-cycles/${CYCLE.slug}`);
      expect(
        cycle.status === "draft" && cycle.criteria.length === 6,
        "the bundled cycle, not started, six criteria",
      );
      const scope = await getJson(
        context,
        `${base}/api/v1/matters?status=${cycle.scope.statuses.join(",")}&limit=1`,
      );
      expect(scope.total > 10, `many matters in scope: ${scope.total}`);
      await page.goto(`${base}/reviews`);
      await page
        .getByRole("table", { name: "Review cycles" })
        .getByRole("link", { name: CYCLE.name })
        .click();
      await page.waitForURL(new RegExp(`/reviews/${CYCLE.slug}$`));
      await expectVisible(page.getByRole("heading", { name: "Criteria (6)" }), "the six criteria");
      await page.getByRole("button", { name: `Start ${CYCLE.name}` }).click();
      const dialog = page.getByRole("dialog", { name: "Start this cycle?" });
      await expectVisible(dialog.getByText(`It will create ${scope.total} reviews`), "the count of reviews");
      await dialog.getByRole("button", { name: `Start: create ${scope.total} reviews` }).click();
      await dialog.waitFor({ state: "hidden" });
      await expectVisible(page.getByRole("link", { name: `Reviews: ${scope.total}` }), "the board's total");
      await expectVisible(page.getByRole("table", { name: "Reviews", exact: true }), "the cycle's reviews");
    },
  );

  await step("reviews: admin assigns the Baltimore decree's review to a new reviewer", async () => {
    const { password, dialog } = await createUser(REVIEW_REVIEWER.username, REVIEW_REVIEWER.name, "Reviewer");
    REVIEW_REVIEWER.password = password;
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    // The cycle has a review per matter in scope: Maryland's are enough to find Baltimore.
    await page.goto(`${base}/reviews/${CYCLE.slug}?state=MD`);
    const row = page
      .getByRole("table", { name: "Reviews", exact: true })
      .getByRole("row")
      .filter({ hasText: MATTER_TITLE });
    await row.getByRole("checkbox", { name: `Select the review of ${MATTER_TITLE}` }).check();
    await page.getByRole("combobox", { name: "Assign to" }).click();
    await page.getByRole("option", { name: new RegExp(`^${REVIEW_REVIEWER.name} `) }).click();
    await page.getByRole("button", { name: "Assign 1 selected review" }).click();
    await expectVisible(row.getByText(REVIEW_REVIEWER.name), "the reviewer in the row");
  });

  await step(
    "reviews: the reviewer rates all six criteria, cites the decree's entry and recommends; the draft saves",
    async () => {
      rosaContext = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        colorScheme: "light",
      });
      rosaContext.setDefaultTimeout(STEP_TIMEOUT);
      rosaPage = await rosaContext.newPage();
      watch(rosaPage);
      await signIn(rosaPage, base, REVIEW_REVIEWER.username, REVIEW_REVIEWER.password, "/reviews?tab=mine");
      const mine = rosaPage.getByRole("table", { name: "My reviews" });
      await mine.getByRole("link", { name: MATTER_TITLE }).click();
      await rosaPage.waitForURL(new RegExp(`/reviews/${CYCLE.slug}/[0-9a-f-]{36}$`));
      reviewUrl = new URL(rosaPage.url()).pathname;
      for (const [code, name, rating] of RATINGS) {
        const region = rosaPage.getByRole("region", { name });
        await region.getByRole("radio", { name: new RegExp(rating) }).check();
        await region
          .getByRole("textbox", { name: `Rationale on ${code}` })
          .fill(`Criterion ${code}: ${rating.toLowerCase()}, on the decree and the monitor's reports.`);
      }
      // The decree's entry, cited on the first criterion from its picker.
      const first = rosaPage.getByRole("region", { name: RATINGS[0][1] });
      await first.getByRole("combobox", { name: "Cite an event on 1" }).click();
      await rosaPage.getByRole("option", { name: new RegExp(ENTERED) }).click();
      await expectVisible(first.getByText(`7 April 2017 — ${ENTERED}`), "the cited event as a chip");
      // A criterion with provision topics says which provisions of the matter bear on it.
      const sixth = rosaPage.getByRole("region", { name: RATINGS[5][1] });
      await expectVisible(
        sixth.getByText(/Training, Recruitment and hiring/),
        "the provision topics of criterion 6",
      );
      // Documents and provisions can be cited too.
      await first.getByText("Document", { exact: true }).click();
      await expectVisible(
        first.getByRole("combobox", { name: "Cite a document on 1" }),
        "the document picker",
      );
      await first.getByText("Provision", { exact: true }).click();
      await expectVisible(
        first.getByRole("combobox", { name: "Cite a provision on 1" }),
        "the provision picker",
      );
      await first.getByText("Event", { exact: true }).click();
      await rosaPage.getByRole("radio", { name: "Seek delay of court proceedings" }).check();
      await rosaPage
        .getByRole("textbox", { name: "Rationale for the recommendation" })
        .fill("Ask the court for time to review the decree against the six principles.");
      await expectVisible(rosaPage.getByText(/^Saved at \d/), "Saved at …");
      await first.scrollIntoViewIfNeeded();
      await shot(rosaPage, "40-review-form");
      const id = reviewUrl.split("/").at(-1);
      await poll(async () => {
        const saved = await getJson(rosaContext, `${base}/api/v1/reviews/${id}`);
        return (
          saved.status === "draft" &&
          RATINGS.every(
            ([code, , label]) => saved.findings[code]?.rating === label.toLowerCase().replace(/ /g, "_"),
          ) &&
          saved.findings["1"]?.citations.length === 1 &&
          saved.findings["1"].citations[0].type === "event" &&
          saved.recommendation === "seek_delay"
        );
      }, "the draft saved on the server: six ratings, the citation, the recommendation");
      const saved = await getJson(rosaContext, `${base}/api/v1/reviews/${id}`);
      const matter = await getJson(rosaContext, `${base}/api/v1/matters/${MATTER}`);
      const entered = matter.events.find((e) => e.kind === "decree_entered");
      expect(
        entered?.date === "2017-04-07" && saved.findings["1"].citations[0].id === entered.id,
        "the citation is the decree's entry on 2017-04-07",
      );
    },
  );

  await step("reviews: the reviewer submits; the approver returns it with a comment", async () => {
    await rosaPage.getByRole("button", { name: "Submit for approval" }).click();
    await expectVisible(
      rosaPage.getByRole("region", { name: "Sign-off" }).getByText("Submitted"),
      "submitted",
    );
    // The approver (set up earlier) signs in; their role must use a second factor again.
    almaContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    almaContext.setDefaultTimeout(STEP_TIMEOUT);
    almaPage = await almaContext.newPage();
    watch(almaPage);
    await signIn(almaPage, base, APPROVER.username, APPROVER.password, reviewUrl);
    await almaPage.waitForURL(/\/settings$/);
    const session = await getJson(almaContext, `${base}/api/v1/session`);
    const headers = { "x-csrf-token": session.csrfToken };
    const started = await almaContext.request.post(`${base}/api/v1/session/totp`, { headers, data: {} });
    const { secret } = await started.json();
    const confirmed = await almaContext.request.post(`${base}/api/v1/session/totp/confirm`, {
      headers,
      data: { code: totp(secret) },
    });
    expect(confirmed.ok(), `two-factor set up again: ${confirmed.status()}`);
    await almaPage.goto(`${base}${reviewUrl}`);
    await almaPage.getByRole("button", { name: "Return…" }).click();
    const dialog = almaPage.getByRole("dialog", { name: "Return to the reviewer" });
    await dialog.getByRole("textbox", { name: "What needs to change" }).fill(RETURN_COMMENT);
    await dialog.getByRole("button", { name: "Return review" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectVisible(almaPage.getByRole("region", { name: "Sign-off" }).getByText("Returned"), "returned");
  });

  await step(
    "reviews: the reviewer reads the comment, amends and resubmits; the approver approves",
    async () => {
      await rosaPage.reload();
      const note = rosaPage.getByRole("note", { name: "Returned for changes" });
      await expectVisible(note.getByText(RETURN_COMMENT), "the return comment, prominently");
      await shot(rosaPage, "41-review-returned");
      const second = rosaPage.getByRole("region", { name: RATINGS[1][1] });
      await second
        .getByRole("textbox", { name: "Rationale on 2" })
        .fill(
          "The monitor reports staffing shortages; the decree's officer-wellness paragraphs are neutral.",
        );
      await expectVisible(rosaPage.getByText(/^Saved at \d/), "the amendment saved");
      await rosaPage.getByRole("button", { name: "Submit for approval" }).click();
      await expectVisible(
        rosaPage.getByRole("region", { name: "Sign-off" }).getByText("Submitted"),
        "resubmitted",
      );
      await almaPage.reload();
      await almaPage.getByRole("button", { name: "Approve…" }).click();
      await almaPage
        .getByRole("dialog", { name: "Approve this review?" })
        .getByRole("button", { name: "Approve" })
        .click();
      await expectVisible(almaPage.getByText(`Approved by ${APPROVER.name} on`), "Approved by … on …");
      const approved = await getJson(almaContext, `${base}/api/v1/reviews/${reviewUrl.split("/").at(-1)}`);
      expect(
        approved.findings["2"].rationale.startsWith("The monitor reports staffing shortages"),
        "the amendment is in the approved review",
      );
      await rosaContext.close();
      await almaContext.close();
    },
  );

  await step("reviews: the board counts it approved; its matrix cells are coloured by rating", async () => {
    await page.goto(`${base}/reviews/${CYCLE.slug}`);
    await expectVisible(page.getByRole("link", { name: /^Approved: 1\b/ }), "1 approved on the board");
    await shot(page, "42-review-board");
    await page.goto(`${base}/reviews/${CYCLE.slug}?view=matrix&state=MD`);
    const matrix = page.getByRole("table", { name: "Ratings matrix" });
    const row = matrix.getByRole("row").filter({ hasText: MATTER_TITLE });
    for (const [code, , rating, tone] of RATINGS) {
      const cell = row.getByRole("cell", { name: `${code}: ${rating}` });
      await expectVisible(cell, `criterion ${code} in the matrix`);
      expect((await cell.getAttribute("data-tone")) === tone, `criterion ${code} has the ${tone} tone`);
    }
    const cell = row.getByRole("cell", { name: "1: Advances" });
    const background = await cell.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(!/rgba\(0, 0, 0, 0\)|transparent/.test(background), `a coloured cell: ${background}`);
    await row.scrollIntoViewIfNeeded();
    await shot(page, "43-review-matrix");
  });

  await step("reviews: the cycle's PDF downloads from the board; its report page prints", async () => {
    await page.goto(`${base}/reviews/${CYCLE.slug}`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the report as PDF" }).click(),
    ]);
    expect(
      download.suggestedFilename() === `${CYCLE.slug}-report.pdf`,
      `the file's name: ${download.suggestedFilename()}`,
    );
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 5).toString("latin1") === "%PDF-", "the download is a PDF");
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
    expect(pages >= 3, `at least 3 pages: ${pages}`);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text.includes(CYCLE.name), "the PDF names the cycle");
    expect(text.includes(MATTER_TITLE), "the PDF has the reviewed matter");
    expect(
      text.includes("Recommendation: Seek delay of court proceedings"),
      "the PDF has the recommendation",
    );
    expect(text.includes(`reviewer ${REVIEW_REVIEWER.name}`), "the PDF names the reviewer");
    expect(text.includes(ENTERED), "the PDF cites the decree's entry");
    await page.getByRole("link", { name: "Report", exact: true }).click();
    await page.waitForURL(new RegExp(`/reviews/${CYCLE.slug}/report$`));
    await expectVisible(page.getByRole("heading", { name: CYCLE.name, level: 1 }), "the report's cover");
    const matter = page.getByRole("region", { name: MATTER_TITLE, exact: true });
    await expectVisible(
      matter.getByText("Recommendation: Seek delay of court proceedings"),
      "the matter's recommendation",
    );
    await expectVisible(matter.getByText(/entered by the court/), "the citation's label");
    await expectVisible(matter.getByText(`Reviewer: ${REVIEW_REVIEWER.name}`), "the reviewer by name");
    await page.emulateMedia({ media: "print" });
    try {
      await poll(
        async () =>
          (await page.getByRole("navigation", { name: "Main" }).isHidden()) &&
          (await page.getByRole("button", { name: "Print" }).isHidden()),
        "the navigation and buttons to be left out of print",
      );
      const breaks = await matter.evaluate((el) => getComputedStyle(el).breakBefore);
      expect(breaks === "page", `each matter starts a page: ${breaks}`);
      await matter.scrollIntoViewIfNeeded();
      await shot(page, "44-review-report-print");
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  await step(
    "reviews: once the matter changes, the review compares it with the matter as reviewed",
    async () => {
      const res = await context.request.get(
        `${base}/api/v1/reviews/${reviewUrl.split("/").at(-1)}/report.pdf`,
      );
      expect(
        res.ok() && (await res.body()).subarray(0, 5).toString("latin1") === "%PDF-",
        "the review's PDF",
      );
      const reviewed = (await getJson(context, `${base}/api/v1/matters/${MATTER}`)).monitor;
      const newMonitor = `Monitor after review ${Date.now()}`;
      await page.goto(`${base}/matters/${MATTER}/edit`);
      await page.getByRole("textbox", { name: "Monitor" }).fill(newMonitor);
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
      await page.goto(`${base}${reviewUrl}`);
      await expectVisible(
        page.getByRole("link", { name: "Download the review as PDF" }),
        "the review's PDF link",
      );
      await page.getByRole("link", { name: "Compare with the matter as reviewed" }).click();
      await page.waitForURL(/\/as-reviewed$/);
      const facts = page.getByRole("table", { name: "Facts" });
      const row = facts.getByRole("row").filter({ hasText: newMonitor });
      await expectVisible(row.getByText("Changed", { exact: true }), "the monitor marked changed");
      await expectVisible(row.getByText(reviewed, { exact: true }), "the monitor as reviewed beside today's");
      await shot(page, "45-review-as-reviewed");
    },
  );

  // ---------------------------------------------------------------- documents and search (issue 5)

  /** A small PDF made here with pdfkit (installed for the server): page N says "page N"; `word` only on page 2. */
  function makePdf(word) {
    const PDFDocument = createRequire(join(root, "packages/server/package.json"))("pdfkit");
    return new Promise((resolve, reject) => {
      const doc = new PDFDocument({ size: "LETTER" });
      const chunks = [];
      doc.on("data", (c) => chunks.push(c));
      doc.on("end", () => resolve(Buffer.concat(chunks)));
      doc.on("error", reject);
      for (let n = 1; n <= 3; n++) {
        if (n > 1) doc.addPage();
        doc.fontSize(18).text(`E2E filing, page ${n}`);
        doc
          .moveDown()
          .fontSize(12)
          .text("The department shall report each use of force to the monitor. ".repeat(6));
        if (n === 2) doc.moveDown().text(`Only this page names the ${word} clause.`);
      }
      doc.end();
    });
  }

  const PDF_WORD = "zephyrine";
  const PDF_TITLE = "E2E filing on the monitor's budget";
  const TXT_NAME = "e2e-community-notes.txt";

  await step("documents: the admin drops a PDF and a text file on a matter; both are read", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/matters/${MATTER}/documents`);
    await expectVisible(page.getByRole("heading", { name: "Add documents" }), "the upload");
    await page.getByLabel("Files to add").setInputFiles([
      { name: "e2e-filing.pdf", mimeType: "application/pdf", buffer: await makePdf(PDF_WORD) },
      {
        name: TXT_NAME,
        mimeType: "text/plain",
        buffer: Buffer.from(
          "Notes of the community meeting.\n\nResidents asked about the monitor's budget.\n",
        ),
      },
    ]);
    const files = page.getByRole("list", { name: "Files to upload" });
    const title = files.getByRole("textbox", { name: "Title of e2e-filing.pdf" });
    expect((await title.inputValue()) === "e2e-filing", "the title defaults to the file's name");
    await title.fill(PDF_TITLE);
    await page.getByRole("combobox", { name: "Kind" }).click();
    await page.getByRole("option", { name: "Motion" }).click();
    await page.getByRole("textbox", { name: "Date" }).fill("2024-03");
    await page.getByRole("button", { name: "Upload 2 files" }).click();
    await expectVisible(files.getByText("Uploaded").first(), "the first file sent");
    await shot(page, "50-documents-extracting");
    const table = page.getByRole("table", { name: "Documents" });
    for (const name of [PDF_TITLE, "e2e-community-notes"]) {
      await expectVisible(
        table.getByRole("row").filter({ hasText: name }).getByText("Ready", { exact: true }),
        `${name} ready`,
      );
    }
    const { items } = await getJson(context, `${base}/api/v1/matters/${MATTER}/documents`);
    const pdf = items.find((d) => d.title === PDF_TITLE);
    expect(
      pdf?.status === "ready" && pdf.pageCount === 3 && pdf.kind === "motion" && pdf.date === "2024-03",
      `the PDF's document: ${JSON.stringify(pdf)}`,
    );
    await table.scrollIntoViewIfNeeded();
    await shot(page, "51-documents-ready");
  });

  await step("search: a word only on page 2 of the PDF opens the viewer there, the word marked", async () => {
    await page.keyboard.press("/");
    const box = page.getByRole("searchbox", { name: "Search matters and documents" });
    expect(
      await box.evaluate((el) => el === document.activeElement),
      "/ puts the keyboard in the search box",
    );
    await box.fill(PDF_WORD);
    await box.press("Enter");
    await page.waitForURL(new RegExp(`/search\\?q=${PDF_WORD}$`));
    const results = page.getByRole("list", { name: "Search results" });
    const hit = results.getByRole("link", { name: `${PDF_TITLE} — page 2` });
    await expectVisible(hit, "the hit on page 2");
    expect((await results.getByRole("listitem").count()) === 1, "one hit: the word is on one page");
    await expectVisible(results.locator("mark", { hasText: PDF_WORD }), "the word marked in the snippet");
    await shot(page, "52-search");
    await hit.click();
    await page.waitForURL(new RegExp(`/documents/[0-9a-f-]{36}\\?page=2&q=${PDF_WORD}$`));
    const desk = page.getByRole("region", { name: "Page 2" });
    await expectVisible(desk.locator(".textLayer mark", { hasText: PDF_WORD }), "the word marked on page 2");
    expect((await page.getByRole("textbox", { name: "Page number" }).inputValue()) === "2", "page 2");
    await expectVisible(page.getByText("of 3", { exact: true }), "of 3 pages");
    const drawn = await desk.locator("canvas").evaluate(
      (c) =>
        c.width > 0 &&
        c
          .getContext("2d")
          .getImageData(0, 0, c.width, c.height)
          .data.some((v) => v < 200),
    );
    expect(drawn, "pdf.js drew the page on the canvas");
    await expectVisible(page.getByRole("link", { name: `← ${MATTER_TITLE}` }), "the link back to the matter");
    await shot(page, "53-viewer-pdf");
    // The arrow keys turn the pages.
    await page.keyboard.press("ArrowLeft");
    await page.waitForURL(/page=1&/);
    await expectVisible(page.getByText("Not on this page"), "the word is not on page 1");
    await page.keyboard.press("ArrowRight");
    await page.waitForURL(/page=2&/);
  });

  await step("viewer: a text file shows as text, the words asked for marked", async () => {
    await page.getByRole("link", { name: `← ${MATTER_TITLE}` }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}/documents$`));
    await page
      .getByRole("table", { name: "Documents" })
      .getByRole("link", { name: "e2e-community-notes" })
      .click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await page.getByRole("searchbox", { name: "Search in this document" }).fill("budget");
    await page.getByRole("searchbox", { name: "Search in this document" }).press("Enter");
    await expectVisible(
      page.getByRole("region", { name: "Page 1" }).locator("mark", { hasText: "budget" }),
      "marked",
    );
    await shot(page, "54-viewer-text");
  });

  await step(
    'search: a "quoted phrase" finds the bundled Fulton County decree; facets narrow it',
    async () => {
      await page.goto(`${base}/search`);
      await page.getByRole("searchbox", { name: "Search for" }).fill('"use of force"');
      await page.getByRole("searchbox", { name: "Search for" }).press("Enter");
      await page.waitForURL(/q=%22use\+of\+force%22|q=%22use%20of%20force%22/);
      const results = page.getByRole("list", { name: "Search results" });
      await expectVisible(
        results.getByRole("link", { name: /^Consent Decree, United States v\. Fulton County/ }),
        "a decree hit",
      );
      await page.getByRole("checkbox", { name: /^Consent decree \(\d+\)$/ }).check();
      await page.waitForURL(/kind=decree/);
      await poll(async () => {
        const texts = await results.getByRole("listitem").allInnerTexts();
        return texts.length > 0 && texts.every((t) => t.includes("Consent decree") && /page \d+/.test(t));
      }, "only the decree's pages");
      await expectVisible(results.locator("mark", { hasText: /^force$/ }), "the phrase marked");
      await shot(page, "55-search-phrase");
    },
  );

  await provisionsSteps({
    step,
    expect,
    expectVisible,
    poll,
    shot,
    signIn,
    getJson,
    browser,
    context,
    page,
    base,
    watch,
    timeout: STEP_TIMEOUT,
  });

  await step("no uncaught errors in the pages", () => {
    expect(pageErrors.length === 0, `page errors:\n${pageErrors.join("\n")}`);
  });
} catch (error) {
  results.push({ name: "journey", status: "failed", error });
  console.log(`✗ failed   journey: ${error?.message ?? error}`);
} finally {
  await browser?.close().catch(() => {});
  stopServer();
  rmSync(dataDir, { recursive: true, force: true });
}

const passed = results.filter((r) => r.status === "passed").length;
const failed = results.filter((r) => r.status === "failed").length;
const skipped = results.filter((r) => r.status === "skipped").length;
if (failed > 0) {
  console.log("\nlast server output:");
  console.log(serverLog.join("").split("\n").slice(-30).join("\n"));
}
console.log(`\nscreenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
