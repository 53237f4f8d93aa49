// The portfolio (issue 13): a place's page with everything the department has with it, the
// money at risk, the portfolio as of a day chosen in the header, and a review cycle that
// evaluates its scope as of the day of the memo that ordered it.
//
// Needs the server's grants API (/jurisdictions/{slug}/portfolio, /grants/at-risk and its CSV).
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const CHICAGO = { slug: "chicago-il", name: "Chicago" };
const CHICAGO_DECREE = "Chicago consent decree (Illinois v. City of Chicago)";
const CHICAGO_INVESTIGATION = "Investigation of the Chicago Police Department";
const CHICAGO_LAWSUIT = { slug: "chicago-v-sessions-jag-fy2017", title: "City of Chicago v. Sessions" };
const SEATTLE_DECREE = "Seattle Police Department consent decree";
const NEW_ORLEANS_DECREE = "New Orleans Police Department consent decree";
const AS_OF = "2017-03-31";
// A cycle of its own: the bundled 2017 cycle is started by the reviews journey, which expects it
// not yet started; this one has the same scope and as-of day.
const CYCLE = { slug: "e2e-portfolio-2017", name: "E2E review of the portfolio as of the 2017 memo" };

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin();

  await j.step(
    "portfolio: Chicago's page shows its decree, the 2017 findings, the JAG lawsuit and the letters",
    async () => {
      await page.goto(`${base}/jurisdictions?q=${CHICAGO.name}`);
      await page
        .getByRole("table", { name: "Jurisdictions" })
        .getByRole("link", { name: CHICAGO.name, exact: true })
        .click();
      await page.waitForURL(new RegExp(`/jurisdictions/${CHICAGO.slug}$`));
      await expectVisible(page.getByRole("heading", { name: "Chicago, IL", level: 1 }), "Chicago's page");
      const matters = page.getByRole("table", { name: "Matters" });
      await expectVisible(
        matters.getByRole("link", { name: CHICAGO_DECREE }),
        "the decree among its matters",
      );
      await expectVisible(
        matters.getByRole("link", { name: CHICAGO_LAWSUIT.title, exact: true }),
        "the FY2017 lawsuit",
      );
      const timeline = page.getByRole("region", { name: "Timeline" });
      await expectVisible(
        timeline.getByText(new RegExp(`${CHICAGO_INVESTIGATION}: findings issued`)).first(),
        "the findings on the timeline",
      );
      await expectVisible(timeline.getByText("13 January 2017").first(), "dated 13 January 2017");
      await expectVisible(timeline.getByText(/preliminary injunction/).first(), "the lawsuit's first ruling");
      await expectVisible(timeline.getByText(/Plaintiff/).first(), "whom a ruling favoured");
      // The 1373 letters: the place's own events, without a matter.
      // Mantine's segmented control hides its radios behind their labels: choose by the label.
      await timeline.locator("label", { hasText: "Letters and other" }).click();
      await expectVisible(timeline.getByText(/1373/).first(), "the 1373 letters");
      await expectVisible(page.getByRole("region", { name: "Money" }), "the money");
      await j.shot(page, "60-chicago-portfolio");
    },
  );

  await j.step("portfolio: the FY2017 lawsuit lists its rulings with whom each favoured", async () => {
    await page.getByRole("region", { name: "Timeline" }).locator("label", { hasText: "Everything" }).click();
    await page
      .getByRole("table", { name: "Matters" })
      .getByRole("link", { name: CHICAGO_LAWSUIT.title, exact: true })
      .click();
    await page.waitForURL(new RegExp(`/matters/${CHICAGO_LAWSUIT.slug}$`));
    const rulings = page.getByRole("table", { name: "Rulings" });
    await expectVisible(rulings.getByText(/preliminary injunction/), "the preliminary injunction");
    expect((await rulings.getByRole("row").count()) >= 5, "five rulings and the header");
    // The jurisdiction's name leads back to its page.
    await page.getByRole("link", { name: "Chicago, IL" }).click();
    await page.waitForURL(new RegExp(`/jurisdictions/${CHICAGO.slug}$`));
  });

  await j.step("portfolio: the at-risk table sorts and downloads as CSV", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "At risk" }).click();
    await page.waitForURL(/\/grants\/at-risk$/);
    const table = page.getByRole("table", { name: "Places with money at risk" });
    await expectVisible(table, "the at-risk table");
    expect((await table.getByRole("row").count()) > 1, "at least one place at risk");
    await expectVisible(
      page.getByRole("img", { name: /^Map of the \d+ states/ }),
      "the places at risk on the map",
    );
    await table.getByRole("button", { name: "Jurisdiction" }).click();
    await page.waitForURL(/sort=jurisdiction/);
    // The rows re-sort once the address has changed: wait for the order, then name it on failure.
    const names = async () =>
      (await table.locator("tbody tr td:first-child").allInnerTexts()).map((n) =>
        n.replace(/, [A-Z]{2}$/, ""),
      );
    const sorted = (list: string[]) => list.every((n, i) => i === 0 || list[i - 1]!.localeCompare(n) <= 0);
    await poll(async () => sorted(await names()), "the rows sorted by jurisdiction").catch(async () => {
      throw new Error(`not sorted by jurisdiction: ${(await names()).join(" | ")}`);
    });
    const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(href?.startsWith("/api/v1/grants/at-risk.csv"), `the CSV link: ${href}`);
    const csv = await page.request.get(`${base}${href}`);
    expect(csv.ok(), `the CSV downloads: ${csv.status()}`);
    expect((csv.headers()["content-type"] ?? "").includes("text/csv"), "as text/csv");
    await j.shot(page, "61-at-risk");
  });

  await j.step(
    "portfolio: as of 31 March 2017 the Seattle decree is active, and the day follows the person",
    async () => {
      await page.goto(`${base}/`);
      await page.getByRole("textbox", { name: "Show the portfolio as of" }).fill(AS_OF);
      await page.waitForURL(new RegExp(`asOf=${AS_OF}`));
      const banner = page.getByRole("status", { name: "As-of day" });
      await expectVisible(banner.getByText("31 March 2017"), "the banner names the day");
      await expectVisible(page.getByRole("link", { name: /Places with money at risk/ }), "the at-risk count");
      await j.shot(page, "62-dashboard-as-of");
      // The app's own links do not name the day: it is carried to the next screen all the same.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Matters" }).click();
      await page.waitForURL(new RegExp(`/matters\\?.*asOf=${AS_OF}`));
      await page.getByRole("searchbox", { name: "Text" }).fill("Seattle");
      await page.waitForURL(/q=Seattle/);
      const row = page
        .getByRole("table", { name: "Matters" })
        .getByRole("row")
        .filter({ hasText: SEATTLE_DECREE });
      await expectVisible(row.getByText("Active", { exact: true }), "the Seattle decree active in 2017");
      await page.getByRole("button", { name: "Back to today" }).click();
      await poll(async () => !page.url().includes("asOf="), "the day to leave the address");
      await expectVisible(
        row.getByText("Terminated", { exact: true }),
        "the Seattle decree terminated today",
      );
    },
  );

  await j.step(
    "portfolio: a cycle as of the 2017 memo, once started, reviews the New Orleans decree",
    async () => {
      const bundled = await api.getJson<{
        scope: { kinds: string[]; statuses: string[] };
        criteria: { code: string; title: string }[];
      }>("/api/v1/review-cycles/2017-review");
      await api.send("POST", "/api/v1/review-cycles", {
        data: {
          slug: CYCLE.slug,
          name: CYCLE.name,
          scope: bundled.scope,
          asOf: AS_OF,
          criteria: bundled.criteria.map((c) => ({ code: c.code, title: c.title, topics: [] })),
        },
      });
      await page.goto(`${base}/reviews/${CYCLE.slug}`);
      await expectVisible(
        page.getByText("Reviews the portfolio as of 31 March 2017"),
        "the cycle's as-of day",
      );
      await page.getByRole("button", { name: `Start ${CYCLE.name}` }).click();
      const dialog = page.getByRole("dialog", { name: "Start this cycle?" });
      await dialog.getByRole("button", { name: /^Start: create \d+ reviews?$/ }).click();
      await dialog.waitFor({ state: "hidden" });
      await page.goto(`${base}/reviews/${CYCLE.slug}?state=LA`);
      await expectVisible(
        page.getByRole("table", { name: "Reviews", exact: true }).getByText(NEW_ORLEANS_DECREE),
        "the New Orleans decree in scope",
      );
      await j.shot(page, "63-cycle-as-of");
    },
  );

  await j.step("portfolio: program-wide figures are shown per program, never split into sites", async () => {
    await page.goto(`${base}/programs`);
    const psn = page.getByRole("region", { name: "Project Safe Neighborhoods", exact: true });
    await expectVisible(psn, "the Project Safe Neighborhoods program");
    expect((await psn.getByRole("row").count()) > 1, "at least one fact of the program");
    await j.shot(page, "64-programs");
  });

  await j.step("grants: a new award asks what its amount is, then shows on its place's page", async () => {
    await page.goto(`${base}/grants`);
    await page.getByRole("link", { name: "New award" }).click();
    await page.waitForURL(/\/grants\/new$/);
    const form = page.getByRole("form", { name: "New award" });
    await form.getByRole("combobox", { name: "Program" }).click();
    await page.getByRole("option", { name: "COPS Hiring", exact: true }).click();
    await form.getByRole("textbox", { name: "Fiscal year" }).fill("2016");
    await form.getByRole("textbox", { name: "Slug" }).fill("e2e-chicago-cops-2016");
    const place = form.getByRole("combobox", { name: "Jurisdiction" });
    await place.click();
    await place.fill("Chicago");
    await page.getByRole("option", { name: "Chicago, IL" }).click();
    await form.getByRole("textbox", { name: "Amount (US dollars)" }).fill("1250000");
    await form.getByRole("button", { name: "Create award" }).click();
    await expectVisible(
      form.getByText(/Say what the amount is/),
      "the question next to the amount's meaning",
    );
    await form.getByRole("combobox", { name: "What the amount is" }).click();
    await page.getByRole("option", { name: "Total award" }).click();
    await form.getByRole("button", { name: "Create award" }).click();
    await page.waitForURL(/\/grants\/e2e-chicago-cops-2016$/);
    await expectVisible(page.getByText("$1,250,000").first(), "the amount as dollars");
    await j.shot(page, "65-new-award");
  });
});
