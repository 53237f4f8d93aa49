// Keyboard and screen readers (issue 17, item 13): axe-core finds no serious or critical
// violation on the main screens, signed in, in the light and the dark theme; a skip link leads
// past the navigation, and focus moves to the page's heading after a client-side navigation.
// Tablet width (item 14): at 820 px the navigation folds behind a burger, wide tables scroll
// inside their frame, and the rating grid starts above the fold.
//
// Its data is its own: a matter with the Davis stipulation (a real agreement's text) read into
// provisions, a reporting period, and a copy of the bundled 2017 review cycle, started.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page as Playwright } from "playwright-core";
import type { Page } from "../fixtures/api.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney, type Journey } from "../fixtures/journey.js";
import { root } from "../fixtures/server.js";

const MATTER = "baltimore-bpd-2017";
const AGREEMENT = "e2e-a11y-stipulation";
const AGREEMENT_TEXT = join(
  root,
  "packages/domain/test/fixtures/agreements/stipulation_of_settlement_2015-02-04.txt",
);
const CYCLE = { slug: "e2e-a11y-review", name: "E2E accessibility review" };
/** A day the calendar opens on: the period's end, a deadline of the matter made here. */
const CALENDAR_DAY = "2026-06-30";

/** The screens checked, each once per theme: a path, and its page heading. */
interface Screen {
  name: string;
  path: string;
  heading: string | RegExp;
}

/** Each watched page's requests in flight, and when the last one began or ended. */
const traffic = new WeakMap<Playwright, { inFlight: number; since: number }>();

/** Count a page's requests in flight, for `settled` (from before `open` first navigates it). */
function watchRequests(page: Playwright) {
  const state = { inFlight: 0, since: Date.now() };
  page.on("request", () => {
    state.inFlight++;
    state.since = Date.now();
  });
  const ended = () => {
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.since = Date.now();
  };
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  traffic.set(page, state);
}

/**
 * Until a watched page has had no request in flight for 150 ms. Playwright's "networkidle" waits
 * 500 ms of silence, which on 38 screens was a fifth of this journey's time.
 */
async function settled(page: Playwright, what: string) {
  const state = traffic.get(page);
  if (!state) throw new Error("settled() on a page whose requests are not watched");
  await poll(async () => state.inFlight === 0 && Date.now() - state.since >= 150, `${what}'s requests`);
}

/** Open a screen and wait until it has drawn its heading and its data. */
async function open(page: Playwright, base: string, screen: Screen) {
  if (!traffic.has(page)) watchRequests(page);
  await page.goto(`${base}${screen.path}`);
  await expectVisible(
    page.getByRole("heading", { name: screen.heading, level: 1 }),
    `${screen.name}'s heading`,
  );
  await settled(page, screen.name);
  // Skeletons stand in for data still loading; the check is of the screen as it ends up.
  await poll(
    async () => (await page.locator(".mantine-Skeleton-root").count()) === 0,
    `${screen.name} loaded`,
  );
}

async function checkScreens(j: Journey, page: Playwright, screens: Screen[], theme: "light" | "dark") {
  for (const screen of screens) {
    await j.step(
      `a11y (${theme}): ${screen.name} has no serious or critical axe-core violation`,
      async () => {
        await open(page, j.base, screen);
        const scheme = await page.locator("html").getAttribute("data-mantine-color-scheme");
        expect(scheme === theme, `the ${theme} theme: ${scheme}`);
        await j.axe(page, `${screen.name} (${theme})`);
        if (theme === "light") await j.shot(page, shotName(screen.name, "1440"));
      },
    );
  }
}

/** A screenshot's name: the screen's, in the journey's series. */
const shotName = (screen: string, suffix: string) => `90-${screen.replace(/\W+/g, "-")}-${suffix}`;

type Box = { x: number; y: number; width: number; height: number };

/** Whether two boxes on the screen overlap. */
function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** What has the keyboard's focus: its tag and text. */
const focused = (page: Playwright) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? "", text: (el?.textContent ?? "").trim() };
  });

export default defineJourney(async (j) => {
  const { base } = j;
  const light = await j.asAdmin({ viewport: { width: 1440, height: 900 } });
  const { api } = light;
  const dark = await j.asAdmin({ viewport: { width: 1440, height: 900 } });
  await dark.context.addInitScript(() => localStorage.setItem("accord-color-scheme", "dark"));

  let documentId = "";
  let reviewPath = "";
  await j.step("a11y: a matter with provisions and a period, and a started review cycle", async () => {
    const matter = await api.createMatter({
      slug: AGREEMENT,
      title: "E2E accessibility stipulation",
      jurisdiction: "Cleveland",
      kind: "settlement_agreement",
      status: "active",
    });
    const up = await api.send<{ items: { document: { id: string } }[] }>(
      "POST",
      `/api/v1/matters/${matter.slug}/documents`,
      {
        multipart: {
          kind: "agreement",
          title: "Stipulation of Settlement and Order (ECF 330)",
          file: {
            name: "stipulation_of_settlement_2015-02-04.txt",
            mimeType: "text/plain",
            buffer: readFileSync(AGREEMENT_TEXT),
          },
        },
      },
    );
    documentId = up.items[0]?.document.id ?? "";
    expect(documentId, "the stipulation's document");
    await poll(
      async () =>
        (await api.getJson<{ status: string }>(`/api/v1/documents/${documentId}`)).status === "ready",
      "the stipulation's text",
    );
    const parse = await api.send<{ id: string; version: number }>(
      "POST",
      `/api/v1/documents/${documentId}/parse`,
      { data: {} },
    );
    await api.send("POST", `/api/v1/matters/${matter.slug}/provisions/accept`, {
      headers: { "if-match": `"${parse.version}"` },
      data: { parseId: parse.id },
    });
    await api.send("POST", `/api/v1/matters/${matter.slug}/periods`, {
      data: { label: "E2E first period", endsOn: "2026-06-30" },
    });
    const copy = await api.send<{ version: number }>("POST", "/api/v1/review-cycles/2017-review/copy", {
      data: CYCLE,
    });
    await api.send("POST", `/api/v1/review-cycles/${CYCLE.slug}/start`, {
      headers: { "if-match": `"${copy.version}"` },
      data: {},
    });
    const reviews = await api.getJson<Page<{ id: string }>>(
      `/api/v1/reviews?cycle=${CYCLE.slug}&matter=${MATTER}`,
    );
    const review = reviews.items[0];
    expect(review, "the Baltimore decree's review in the new cycle");
    reviewPath = `/reviews/${CYCLE.slug}/${review.id}`;
    // Something on the inbox's list of watches.
    await api.send("POST", "/api/v1/watches", { data: { target: "matter", key: MATTER } });
  });

  const screens = (): Screen[] => [
    { name: "dashboard", path: "/", heading: "Dashboard" },
    { name: "matters", path: "/matters", heading: "Matters" },
    { name: "a matter", path: `/matters/${MATTER}`, heading: /Baltimore Police Department consent decree/ },
    { name: "timeline", path: `/matters/${MATTER}/timeline`, heading: /Baltimore Police Department/ },
    { name: "documents", path: "/documents", heading: "Documents" },
    { name: "document viewer", path: `/documents/${documentId}`, heading: /Stipulation of Settlement/ },
    { name: "search", path: "/search?q=monitor", heading: /Search/ },
    {
      name: "provisions",
      path: `/matters/${AGREEMENT}/provisions`,
      heading: /E2E accessibility stipulation/,
    },
    {
      name: "rating grid",
      path: `/matters/${AGREEMENT}/compliance?view=grid`,
      heading: /E2E accessibility stipulation/,
    },
    { name: "reviews board", path: `/reviews/${CYCLE.slug}`, heading: CYCLE.name },
    { name: "review form", path: reviewPath, heading: /Baltimore Police Department consent decree/ },
    { name: "audit log", path: "/admin/audit", heading: "Audit log" },
    { name: "users", path: "/admin/users", heading: "Users" },
    { name: "settings", path: "/settings", heading: "Settings" },
    { name: "statistics", path: "/jurisdictions/baltimore-md", heading: "Baltimore, MD" },
    // The calendar's three views, on the month of the Baltimore decree's hearings and deadlines.
    { name: "calendar month", path: `/calendar?at=${CALENDAR_DAY}`, heading: "Calendar" },
    { name: "calendar week", path: `/calendar?view=week&at=${CALENDAR_DAY}`, heading: "Calendar" },
    { name: "calendar agenda", path: `/calendar?view=agenda&at=${CALENDAR_DAY}`, heading: "Calendar" },
    { name: "inbox", path: "/inbox", heading: "Inbox" },
  ];

  await checkScreens(j, light.page, screens(), "light");
  await checkScreens(j, dark.page, screens(), "dark");

  await j.step("a11y: the date field's calendar, open on a form, in both themes and at 820 px", async () => {
    for (const [session, theme] of [
      [light, "light"],
      [dark, "dark"],
    ] as const) {
      const { page } = session;
      await open(page, base, { name: "matter form", path: `/matters/${MATTER}/edit`, heading: /Baltimore/ });
      const opened = page.getByRole("textbox", { name: "Opened" });
      await expectVisible(opened, "the Opened date");
      const original = await opened.inputValue();
      await page.getByRole("button", { name: "Opened: pick from a calendar" }).click();
      const calendar = page.getByRole("dialog", { name: "Opened: calendar" });
      await expectVisible(calendar, "the calendar");
      // A partial date: pick a month, and the field shows the month alone.
      await calendar.getByText("Month", { exact: true }).click();
      await expectVisible(calendar.getByRole("button", { name: /^Jun/ }), "the months of the year");
      await j.axe(page, `matter form with its calendar open (${theme})`);
      if (theme === "light") await j.shot(page, shotName("date-field-open", "1440"));
      await page.keyboard.press("Escape");
      await opened.fill("17 june 2003");
      await opened.blur();
      await poll(async () => (await opened.inputValue()) === "17 June 2003", "the day written the app's way");
      await opened.fill("2017-02-30");
      await expectVisible(page.getByText("February 2017 has no day 30."), "the error in words, on the field");
      if (theme === "light") await j.shot(page, shotName("date-field-error", "1440"));
      // Back as it was, so the form holds no unsaved edit.
      await opened.fill(original);
      await opened.blur();
    }
    const tablet = await j.asAdmin({ viewport: { width: 820, height: 1180 } });
    await open(tablet.page, base, {
      name: "matter form",
      path: `/matters/${MATTER}/edit`,
      heading: /Baltimore/,
    });
    await tablet.page.getByRole("button", { name: "Ended: pick from a calendar" }).click();
    await expectVisible(
      tablet.page.getByRole("dialog", { name: "Ended: calendar" }),
      "the calendar at 820 px",
    );
    await j.axe(tablet.page, "matter form with its calendar open at 820 px");
    await j.shot(tablet.page, shotName("date-field-open", "820"));
  });

  await j.step("keyboard: a skip link leads past the navigation to the page's heading", async () => {
    const { page } = light;
    await open(page, base, { name: "matters", path: "/matters", heading: "Matters" });
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expectVisible(skip, "the skip link, shown when the keyboard reaches it");
    expect((await focused(page)).text === "Skip to content", "the skip link is the first stop");
    await j.shot(page, shotName("skip-link", "1440"));
    await page.keyboard.press("Enter");
    await poll(async () => {
      const f = await focused(page);
      return f.tag === "h1" && f.text === "Matters";
    }, "focus on the heading Matters");
  });

  await j.step("keyboard: after a link in the navigation, focus is on the new page's heading", async () => {
    const { page } = light;
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Documents" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/documents$/);
    await poll(async () => {
      const f = await focused(page);
      return f.tag === "h1" && f.text === "Documents";
    }, "focus on the heading Documents");
    // A change of the same page's filters is no navigation: focus stays where it was.
    await nav.getByRole("link", { name: "Matters" }).click();
    await poll(async () => (await focused(page)).text === "Matters", "focus on the heading Matters");
  });

  // A tablet held upright (an iPad Air: 820 × 1180).
  const tablet = await j.asAdmin({ viewport: { width: 820, height: 1180 } });
  await j.step("tablet (820 px): the navigation folds behind a burger that opens it", async () => {
    const { page } = tablet;
    await open(page, base, { name: "dashboard", path: "/", heading: "Dashboard" });
    const nav = page.getByRole("navigation", { name: "Main" });
    // Folded, the navigation is moved out of the window.
    const folded = async () =>
      ((await nav.boundingBox())?.x ?? 0) + ((await nav.boundingBox())?.width ?? 0) <= 0;
    expect(await folded(), "the navigation is folded");
    await j.shot(page, shotName("dashboard", "820"));
    await page.getByRole("button", { name: "Open navigation" }).click();
    await expectVisible(nav.getByRole("link", { name: "Matters" }), "the navigation, opened");
    await j.shot(page, shotName("navigation-open", "820"));
    await nav.getByRole("link", { name: "Matters" }).click();
    await page.waitForURL(/\/matters$/);
    await poll(folded, "the navigation folds again after the choice");
  });

  await j.step("tablet (820 px): a wide table scrolls in its frame with its first column kept", async () => {
    const { page } = tablet;
    await open(page, base, { name: "matters", path: "/matters", heading: "Matters" });
    const frame = page.getByRole("region", { name: "Matters" });
    await expectVisible(frame, "the table's frame, a region the keyboard can scroll");
    const [scrollWidth, clientWidth] = await frame.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scrollWidth > clientWidth, `the table is wider than its frame: ${scrollWidth} > ${clientWidth}`);
    const bodyWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(bodyWidth <= 820, `the page itself does not scroll sideways: ${bodyWidth} px`);
    const firstCell = page
      .getByRole("table", { name: "Matters" })
      .locator("tbody tr")
      .first()
      .locator("td")
      .first();
    const before = await firstCell.boundingBox();
    await frame.focus();
    await frame.evaluate((el) => el.scrollBy({ left: 400 }));
    await poll(async () => (await frame.evaluate((el) => el.scrollLeft)) > 0, "the frame scrolled");
    const after = await firstCell.boundingBox();
    expect(
      before && after && Math.abs(before.x - after.x) < 1,
      `the first column stays: ${before?.x} then ${after?.x}`,
    );
    await j.shot(page, shotName("matters-scrolled", "820"));
    await j.axe(page, "matters at 820 px");
  });

  await j.step(
    "tablet (820 px): the rating grid starts above the fold; a toast leaves the user menu free",
    async () => {
      const { page } = tablet;
      await open(page, base, {
        name: "rating grid",
        path: `/matters/${AGREEMENT}/compliance?view=grid`,
        heading: /E2E accessibility stipulation/,
      });
      const first = page.getByRole("button", { name: /^Level of / }).first();
      await expectVisible(first, "the grid's first level cell");
      const box = await first.boundingBox();
      expect(box && box.y + box.height <= 1180, `the first row is above the fold: ${box?.y}`);
      await j.shot(page, shotName("rating-grid", "820"));
      await j.axe(page, "rating grid at 820 px");
      await first.focus();
      await page.keyboard.press("3");
      await page.getByRole("button", { name: "Save changes" }).click();
      const toast = page.locator(".mantine-Notification-root").filter({ hasText: "Ratings saved" });
      await expectVisible(toast, "the saved notice");
      const account = await page.getByRole("button", { name: /, account menu$/ }).boundingBox();
      const notice = await toast.boundingBox();
      expect(account && notice && !overlaps(account, notice), "the notice does not cover the user menu");
      await j.shot(page, shotName("rating-grid-saved", "820"));
    },
  );

  await j.step("the README's picture: the dashboard at 1280 px, Maryland's card shown", async () => {
    const { page } = light;
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, base, { name: "dashboard", path: "/", heading: "Dashboard" });
    await page.locator('path[data-state="MD"]').hover();
    await expectVisible(page.getByRole("tooltip").filter({ hasText: "Maryland" }), "Maryland's card");
    // Copied by hand to docs/dashboard.png when the look of the app changes.
    await j.shot(page, "90-readme-dashboard");
  });

  const visitor = await j.newContext("visitor", { viewport: { width: 1440, height: 900 } });
  for (const theme of ["light", "dark"] as const) {
    await j.step(`a11y (${theme}): sign-in has no serious or critical axe-core violation`, async () => {
      await visitor.context.addInitScript((t) => localStorage.setItem("accord-color-scheme", t), theme);
      await open(visitor.page, base, { name: "sign-in", path: "/sign-in", heading: "Sign in" });
      const scheme = await visitor.page.locator("html").getAttribute("data-mantine-color-scheme");
      expect(scheme === theme, `the ${theme} theme: ${scheme}`);
      await j.axe(visitor.page, `sign-in (${theme})`);
      await j.shot(visitor.page, shotName(`sign-in-${theme}`, "1440"));
    });
  }
});
