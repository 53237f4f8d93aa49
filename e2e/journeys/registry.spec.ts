// Reading the registry: the dashboard's counts, chart and map; the matters list's facets and
// sorting; a matter's facts and timeline; the events, jurisdictions and agencies lists; the
// header search; the dark theme and a tablet's width.
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "baltimore-bpd-2017";
const MATTER_TITLE = "Baltimore Police Department consent decree";

export default defineJourney(async (j) => {
  const { base } = j;
  const { page } = await j.asAdmin();

  await j.step("dashboard shows counts, the yearly chart and the map", async () => {
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
    // The yearly chart's own switch (the money has one too).
    const showAs = page.getByRole("radiogroup", { name: "Show as", exact: true });
    await showAs.getByText("Table view", { exact: true }).click();
    await expectVisible(page.getByRole("columnheader", { name: "Opened" }), "the chart's table view");
    await showAs.getByText("Chart", { exact: true }).click();
    await maryland.hover();
    await expectVisible(page.getByRole("tooltip").filter({ hasText: "Baltimore" }), "map tooltip");
    await j.shot(page, "01-dashboard");
  });

  await j.step("a state on the map opens its matters, by keyboard", async () => {
    await page.getByRole("link", { name: /^Maryland: / }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/matters\?state=MD$/);
    await expectVisible(page.getByRole("link", { name: MATTER_TITLE }), "Baltimore in the Maryland list");
  });

  await j.step("matters list filters to consent decrees in Maryland through the facets", async () => {
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
    await j.shot(page, "02-matters-filtered");
  });

  await j.step("sorting a column updates the URL and aria-sort", async () => {
    await page.getByRole("button", { name: "Title" }).click();
    await page.waitForURL(/sort=title/);
    const th = page.getByRole("columnheader", { name: "Title" });
    await poll(async () => (await th.getAttribute("aria-sort")) === "ascending", "Title sorted ascending");
  });

  await j.step("open Baltimore: key facts and timeline", async () => {
    await page.getByRole("link", { name: MATTER_TITLE }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await expectVisible(page.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "matter heading");
    await expectVisible(page.getByText("Baltimore, MD"), "jurisdiction fact");
    await j.shot(page, "03-matter-overview");
    await page.getByRole("tab", { name: /Timeline/ }).click();
    await page.waitForURL(/\/timeline$/);
    await expectVisible(
      page.getByRole("button", { name: "Add event" }).or(page.getByRole("link", { name: "Add event" })),
      "Add event",
    );
    await j.shot(page, "04-matter-timeline");
  });

  await j.step("events list filters the department-wide record", async () => {
    await page.goto(`${base}/events`);
    await expectVisible(page.getByRole("table", { name: "Events" }), "events table");
    await page.getByRole("checkbox", { name: "Department-wide record only" }).click();
    await page.waitForURL(/departmentWide=true/);
    const rows = page.getByRole("table", { name: "Events" }).locator("tbody tr");
    await poll(async () => {
      const texts = await rows.allInnerTexts();
      return texts.length > 0 && texts.every((t) => t.includes("Department-wide"));
    }, "only department-wide events");
    await j.shot(page, "09-events");
  });

  await j.step("jurisdictions and agencies lists link to their matters", async () => {
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
    await j.shot(page, "10-agencies");
  });

  await j.step("header search goes to the search page; dark theme and tablet width render", async () => {
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
    await j.shot(page, "11-dashboard-dark");
    await page.getByRole("button", { name: "Switch to light theme" }).click();
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${base}/matters?kind=consent_decree`);
    await expectVisible(page.getByRole("table", { name: "Matters" }), "matters table on a tablet");
    await j.shot(page, "12-matters-tablet");
    await page.goto(`${base}/matters/${MATTER}`);
    await expectVisible(page.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "matter on a tablet");
    await j.shot(page, "13-matter-tablet");
  });
});
