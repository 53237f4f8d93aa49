// End-to-end journey through the built app, as a person uses it: Debian's Chromium driven by
// playwright-core against the built server on a free port with a fresh data directory.
// Expects `npm run build` to have run. Prints "N passed, N failed" and exits non-zero on failure.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("..", import.meta.url));
const shots = join(root, "e2e", "screenshots");
mkdirSync(shots, { recursive: true });

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const STEP_TIMEOUT = 15_000;

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
    ACCORD_WEB_DIR: join(root, "packages/web/dist"),
    LOG_LEVEL: "warn",
  };
  const [cmd, args] = existsSync(built)
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
  await page.screenshot({ path: join(shots, `${name}.png`) });
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
    const before = await (await fetch(`${base}/api/v1/matters/${MATTER}`)).json();
    const field = page.getByRole("textbox", { name: "Monitor" });
    await field.fill(monitor);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await page.reload();
    await expectVisible(page.getByText(monitor, { exact: true }), "the saved monitor after reload");
    const res = await fetch(`${base}/api/v1/matters/${MATTER}`);
    const saved = await res.json();
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
    const res = await fetch(`${base}/api/v1/matters/${MATTER}`);
    expect((await res.json()).judge === "Judge from page A", "page B did not overwrite silently");

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
    const after = await (await fetch(`${base}/api/v1/matters/${MATTER}`)).json();
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

  await step("header search goes to the matters list; dark theme and tablet width render", async () => {
    await page.goto(`${base}/`);
    const search = page.getByRole("searchbox", { name: "Search matters" });
    await search.fill("Baltimore");
    await search.press("Enter");
    await page.waitForURL(/\/matters\?q=Baltimore/);
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
