// Statistics beside the matters (issue 15): Baltimore's homicides 1975-2024 on its page, with the
// 2017 decree's entry marked, the 2016-2017 gap between the FBI's figures and the Real-Time Crime
// Index left as a gap, compared with Chicago, and downloaded as CSV.
//
// Needs the bundled statistics (data/crime/) loaded on the first start.
import { expect, expectVisible } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

export default defineJourney(async (j) => {
  const { base } = j;
  const { page } = await j.asAdmin();

  await j.step(
    "statistics: Baltimore's homicides with the 2017 decree marked and the 2016-2017 gap",
    async () => {
      await page.goto(`${base}/jurisdictions/baltimore-md`);
      await expectVisible(page.getByRole("heading", { name: "Baltimore, MD", level: 1 }), "Baltimore's page");
      const panel = page.getByRole("region", { name: "Statistics" });
      await expectVisible(
        panel.getByRole("img", { name: /Line chart of homicide per year/ }),
        "the homicide chart",
      );
      await expectVisible(
        panel.getByText(/\d: 2017 [^;]*decree entered/),
        "the decree's entry among the milestones",
      );
      await panel.scrollIntoViewIfNeeded();
      await j.shot(page, "80-baltimore-homicides");
      await panel.locator("label", { hasText: "Table view" }).click();
      const table = panel.getByRole("table", { name: /Homicide per year/ });
      const years = await table.locator("tbody tr th").allInnerTexts();
      expect(years[0] === "1975", `the series starts in 1975: ${years[0]}`);
      expect(years.includes("2015") && years.includes("2018"), "both sources' years");
      expect(!years.includes("2016") && !years.includes("2017"), `no 2016 or 2017 row: ${years.join(" ")}`);
      expect(years.includes("2024"), "2024's months");
      await expectVisible(table.getByText("7 of 12 months (partial)").first(), "2024 partial");
    },
  );

  await j.step("statistics: compared with Chicago, and downloaded as CSV", async () => {
    const panel = page.getByRole("region", { name: "Statistics" });
    await panel.locator("label", { hasText: "Chart" }).click();
    await panel.getByLabel(/Compare with/).click();
    await page.getByRole("option", { name: "Chicago", exact: true }).click();
    await page.keyboard.press("Escape");
    await expectVisible(panel.getByText(/Chicago · FBI Uniform Crime Reports/).first(), "Chicago's line");
    const href = await panel.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(Boolean(href?.includes("jurisdiction=baltimore-md%2Cchicago-il")), `the CSV link: ${href}`);
    const csv = await page.request.get(`${base}${href}`);
    expect(csv.ok(), `the CSV downloads: ${csv.status()}`);
    const text = await csv.text();
    expect(text.includes("Baltimore,baltimore-md,homicide,1975,"), "Baltimore's 1975 homicides in the CSV");
    expect(text.includes("Chicago,chicago-il,homicide,2018-01,"), "Chicago's January 2018 in the CSV");
    await panel.scrollIntoViewIfNeeded();
    await j.shot(page, "81-baltimore-chicago");
  });

  await j.step(
    "statistics: the Baltimore decree's page shows the same series with its own milestones",
    async () => {
      await page.goto(`${base}/matters/baltimore-bpd-2017`);
      const panel = page.getByRole("region", { name: "Statistics" });
      await expectVisible(panel.getByRole("img", { name: /Line chart of homicide per year/ }), "the chart");
      await expectVisible(panel.getByText(/\d: 2017 [^;]*decree entered/), "the decree's entry");
      await expectVisible(
        panel.getByText(/is not evidence that an agreement or decree raised or lowered crime/),
        "the caveat",
      );
      await panel.scrollIntoViewIfNeeded();
      await j.shot(page, "82-baltimore-decree-statistics");
    },
  );

  await j.step("statistics: the decree's compliance view shows what the monitoring costs", async () => {
    await page.goto(`${base}/matters/baltimore-bpd-2017/compliance`);
    const panel = page.getByRole("region", { name: "What the monitoring costs, per month" });
    await expectVisible(
      panel.getByRole("img", { name: /Bar chart of the monitoring team's invoices/ }),
      "the chart",
    );
    await expectVisible(
      panel.getByText(/billed over 63 months \(2017-10 to 2023-01\)/),
      "the total and span",
    );
    await expectVisible(panel.getByText(/No invoice in the source for 2020-10/), "the gap, said");
    await panel.scrollIntoViewIfNeeded();
    await j.shot(page, "83-baltimore-monitoring-cost");
  });

  await j.step("statistics: the match table lists the places not matched", async () => {
    await page.goto(`${base}/statistics/sources`);
    await expectVisible(page.getByRole("heading", { name: /how places were matched/, level: 1 }), "the page");
    await expectVisible(page.getByText("National").first(), "the national total, not matched");
  });
});
