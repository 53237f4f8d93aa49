// Provisions and compliance (issue 6): the administrator parses the bundled Fulton County decree,
// checks and accepts it; a monitor rates ten provisions by keyboard and the stacked bar of the
// period changes; a second decree (a test text made from one of Fulton's use-of-force paragraphs,
// reworded) is added to another matter and the cross-decree comparison for use of force ranks it.
// Then an agreement in outline numbering (the Davis v. City of New York stipulation, sections A–T
// restarting at 1, exhibits after the body) is uploaded as text, checked as a tree, one node
// corrected by keyboard, accepted, and cited by its label.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page as Playwright } from "playwright-core";
import type { Matter, Page } from "../fixtures/api.js";
import { type Person, signIn } from "../fixtures/auth.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";
import { root } from "../fixtures/server.js";

const FULTON = "fulton-county-jail-2025";
const PERIOD = "E2E first reporting period";
/** A real agreement as a court-records service gives its text (see the fixtures' README). */
const DAVIS_TEXT = join(
  root,
  "packages/domain/test/fixtures/agreements/stipulation_of_settlement_2015-02-04.txt",
);
const DAVIS = "e2e-davis-stipulation";

interface Document {
  id: string;
  title: string;
  kind: string;
  status: string;
}

interface Provision {
  id: string;
  number: number;
  label: string;
  text: string;
}

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin();
  const monitor: Person & { name: string } = { username: "milo", name: "Milo Monitor", password: "" };
  const asMonitor = await j.newContext("monitor");
  const milo = asMonitor.page;
  let fulton: Matter | undefined;
  let decree: Document | undefined;

  /** The text of the per-period chart's table view (what a screen reader reads). */
  async function periodTable(p: Playwright) {
    await p.goto(`${base}/matters/${FULTON}/compliance`);
    const table = p.getByRole("table").filter({ hasText: "Ratings per reporting period, by level" });
    await table.first().waitFor({ state: "attached" });
    return (await table.first().textContent()) ?? "";
  }

  await j.step("provisions: the admin finds the provisions of the bundled Fulton County decree", async () => {
    fulton = await api.getJson<Matter>(`/api/v1/matters/${FULTON}`);
    // The bundled decree is read in the background on the first start: wait until it is.
    await poll(
      async () => {
        const docs = await api.getJson<Page<Document>>(`/api/v1/matters/${FULTON}/documents`);
        decree = docs.items.find((d) => d.kind === "decree");
        return decree?.status === "ready";
      },
      "the bundled decree's text",
      120_000,
    );
    expect(decree, "the bundled decree");
    await page.goto(`${base}/matters/${FULTON}/documents`);
    await page.getByRole("button", { name: `Find provisions in ${decree.title}` }).click();
    await page.waitForURL(/\/parses\/[0-9a-f-]+/);
    await expectVisible(page.getByRole("heading", { name: "Check the provisions found" }), "the parse page");
    await expectVisible(page.getByRole("tab", { name: "Provisions found (369)" }), "369 paragraphs found");
    await j.shot(page, "60-parse-check");
  });

  await j.step(
    "provisions: the admin accepts the parse; the matter lists its provisions by topic",
    async () => {
      expect(fulton, "the Fulton County matter");
      await page.getByRole("button", { name: "Accept provisions" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Accept", exact: true }).click();
      // The decree is bundled accepted and rated (its monitor's second report): accepting again
      // keeps every paragraph and recounts the ratings' roll-ups, slow on a busy machine.
      await page.getByText("Provisions accepted").waitFor({ timeout: 120_000 });
      await j.shot(page, "61-parse-accepted");
      await page.goto(`${base}/matters/${FULTON}/provisions?topic=use_of_force`);
      const table = page.getByRole("table", { name: `Provisions of ${fulton.title}` });
      await expectVisible(table.locator("tbody tr"), "use-of-force provisions");
      await expectVisible(page.getByRole("tab", { name: "Provisions (369)" }), "369 provisions on the tab");
      await j.shot(page, "62-provisions-use-of-force");
    },
  );

  await j.step("provisions: a provision's page has its text, topics and a citable address", async () => {
    await page.goto(`${base}/matters/${FULTON}/provisions/1`);
    await expectVisible(page.getByRole("heading", { name: "¶ 1", level: 1 }), "the ¶ 1 heading");
    await expectVisible(page.getByRole("button", { name: "Copy citation link" }), "the citation link");
    const p = await api.getJson<Provision>(`/api/v1/matters/${FULTON}/provisions/1`);
    expect(p.number === 1 && p.text.length > 20, `¶ 1 from the API: ${JSON.stringify(p).slice(0, 200)}`);
    // The decree is a jail's (the bundled agency's kind): its topics are a jail's, not a police force's.
    const suicide = await api.getJson<{ topics: { topic: string }[] }>(
      `/api/v1/matters/${FULTON}/provisions/230`,
    );
    const topics = suicide.topics.map((t) => t.topic);
    expect(
      topics[0] === "suicide_prevention" && !topics.includes("crisis_intervention"),
      `¶ 230's topics: ${topics.join(", ")}`,
    );
    await page.goto(`${base}/matters/${FULTON}/provisions/230`);
    await expectVisible(page.getByText("Suicide prevention").first(), "¶ 230's jail topic");
  });

  await j.step(
    "compliance: the admin adds a reporting period and assigns a monitor to the decree",
    async () => {
      await page.goto(`${base}/matters/${FULTON}/compliance?view=setup`);
      await page.getByRole("textbox", { name: "Period label" }).fill(PERIOD);
      await page.getByRole("textbox", { name: "Ends on" }).fill("2026-06-30");
      await page.getByRole("button", { name: "Add period" }).click();
      await expectVisible(page.getByText(PERIOD), "the new period listed");
      monitor.password = await api.createUser(monitor.username, monitor.name, "monitor");
      await api.assignMonitor(FULTON, monitor.username);
    },
  );

  let before = "";
  await j.step("compliance: the monitor rates ten provisions by keyboard and saves them", async () => {
    before = await periodTable(page);
    await signIn(milo, base, monitor, `/matters/${FULTON}/compliance?view=grid`);
    // The grid has a row per provision (369 of them): on a busy machine it takes a while to
    // render, and the page answers no click until it has.
    await milo.getByRole("button", { name: /^Level of ¶ 1: / }).waitFor({ timeout: 45_000 });
    await milo.getByRole("combobox", { name: "Period" }).click();
    await milo.getByRole("option", { name: PERIOD }).click();
    const first = milo.getByRole("button", { name: "Level of ¶ 1: Not rated" });
    await expectVisible(first, "the first provision's level cell");
    await first.focus();
    for (let i = 0; i < 10; i++) {
      await milo.keyboard.press("3");
      await milo.keyboard.press("ArrowDown");
    }
    await expectVisible(milo.getByText("10 unsaved changes"), "ten unsaved changes counted");
    await j.shot(milo, "63-rating-grid");
    await milo.getByRole("button", { name: "Save changes" }).click();
    await expectVisible(milo.getByText("Ratings saved"), "the saved notice");
    const grid = await asMonitor.api.getJson<{ items: { assessment: { level: string } | null }[] }>(
      `/api/v1/matters/${FULTON}/assessments?period=${encodeURIComponent(PERIOD)}`,
    );
    // Key 3 is the third level of the decree's scale, bundled with its monitor's second report:
    // Partial Compliance.
    const rated = grid.items.filter((r) => r.assessment?.level === "partial_compliance");
    expect(rated.length === 10, `ten ratings at Partial Compliance: ${rated.length}`);
  });

  await j.step(
    "compliance: the grid shows each provision's text, and its definitions only when asked",
    async () => {
      // Definitions (¶ 9 to ¶ 30 of the decree) are left out by default: after ¶ 8 comes ¶ 31.
      const table = milo.getByRole("table", { name: `Ratings for ${PERIOD}` });
      const labels = async () =>
        (await table.locator("tbody tr td:nth-child(2) a").allTextContents()).slice(0, 10);
      expect(
        (await labels()).join(",") === "¶ 1,¶ 2,¶ 3,¶ 4,¶ 5,¶ 6,¶ 7,¶ 8,¶ 31,¶ 32",
        `the first rows: ${(await labels()).join(",")}`,
      );
      await expectVisible(milo.getByText("22 definitions left out"), "the count of what is left out");
      // One line of ¶ 1's text; the whole of it on a key press.
      await expectVisible(table.getByText(/^The United States of America/), "¶ 1's excerpt");
      const more = table.getByRole("button", { name: "Full text of ¶ 1", exact: true });
      await more.focus();
      await milo.keyboard.press("Enter");
      await expectVisible(
        table.getByRole("button", { name: "Less of ¶ 1", exact: true, expanded: true }),
        "¶ 1 expanded",
      );
      const full = await api.getJson<Provision>(`/api/v1/matters/${FULTON}/provisions/1`);
      const tail = full.text.replace(/\s+/g, " ").trim().slice(-40);
      await expectVisible(table.getByText(tail, { exact: false }), "the end of ¶ 1's text");
      await j.shot(milo, "63b-rating-grid-text");
      await milo.keyboard.press("Enter");
      await expectVisible(more, "¶ 1 one line again");
      // The switch is the URL's: it shows checked once the page has moved (check() would not wait).
      const headings = milo.getByRole("switch", { name: "Show headings and definitions" });
      await headings.click();
      const definition = table.getByRole("link", { name: "¶ 9", exact: true });
      await expectVisible(definition, "the first definition");
      await definition.scrollIntoViewIfNeeded();
      await expectVisible(table.getByText("Definition", { exact: true }).first(), "a definition's badge");
      expect((await labels())[8] === "¶ 9", `¶ 9 after ¶ 8: ${(await labels()).join(",")}`);
      await j.shot(milo, "63c-rating-grid-definitions");
      await headings.click();
      await expectVisible(milo.getByText("22 definitions left out"), "left out again");
    },
  );

  await j.step("compliance: the period's stacked bar now counts the ten ratings", async () => {
    const after = await periodTable(milo);
    expect(after !== before, "the chart's table changed");
    expect(/10 \(\d+(\.\d+)?%\)/.test(after), `ten at one level in the table view: ${after.slice(0, 400)}`);
    await j.shot(milo, "64-compliance-charts");
  });

  await j.step(
    "provisions: compare a use-of-force paragraph with a second decree added by the test",
    async () => {
      expect(fulton, "the Fulton County matter");
      // One of Fulton's use-of-force provisions, reworded, becomes a paragraph of a test decree.
      const uof = await api.getJson<Page<Provision>>(
        `/api/v1/matters/${FULTON}/provisions?topic=use_of_force&q=written%20report&limit=5`,
      );
      const source = uof.items[0];
      expect(source, "a Fulton use-of-force provision about written reports");
      const full = await api.getJson<Provision>(`/api/v1/provisions/${source.id}`);
      const reworded = full.text
        .replace(/FCSO/g, "the Department")
        .replace(/\bJail\b/g, "Department")
        .replace(/\s+/g, " ");
      const text = [
        "E2E TEST DECREE (made by the end-to-end test; not a real filing)",
        "",
        "I. USE OF FORCE",
        "",
        `1. ${reworded}`,
        "",
        "2. Officers will receive annual training on de-escalation and on the use of force policy.",
        "",
        "II. COMMUNITY ENGAGEMENT",
        "",
        "3. The Department will hold quarterly community meetings to report on this Agreement.",
        "",
      ].join("\n");
      const other = (await api.getJson<Page<Matter>>("/api/v1/matters?q=Seattle&limit=5")).items[0];
      expect(other, "a second matter (Seattle)");
      const up = await api.send<{ items: { document: { id: string } }[] }>(
        "POST",
        `/api/v1/matters/${other.slug}/documents`,
        {
          multipart: {
            kind: "decree",
            title: "E2E test decree",
            file: { name: "e2e-test-decree.txt", mimeType: "text/plain", buffer: Buffer.from(text) },
          },
        },
      );
      const docId = up.items[0]?.document.id;
      expect(docId, "the test decree's document");
      await poll(
        async () => (await api.getJson<Document>(`/api/v1/documents/${docId}`)).status === "ready",
        "the test decree's text",
      );
      const parse = await api.send<{ id: string; version: number }>(
        "POST",
        `/api/v1/documents/${docId}/parse`,
        {
          data: {},
        },
      );
      await api.send("POST", `/api/v1/matters/${other.slug}/provisions/accept`, {
        headers: { "if-match": `"${parse.version}"` },
        data: { parseId: parse.id },
      });

      await page.goto(`${base}/provisions?topic=use_of_force&q=${encodeURIComponent("written report")}`);
      await page.getByRole("link", { name: `Compare ${source.label} of ${fulton.title}` }).click();
      await expectVisible(
        page.getByRole("heading", { name: `Compare ${source.label} with other decrees` }),
        "the comparison page",
      );
      const similar = page.getByRole("region", { name: "Similar provisions in other decrees" });
      await expectVisible(
        similar.or(page.locator("main")).getByText(other.title).first(),
        "the test decree's paragraph among the similar ones",
      );
      await j.shot(page, "65-compare-use-of-force");
    },
  );

  await j.step(
    "provisions: an outline-numbered agreement uploaded as text is checked as a tree, with its warnings and exhibits",
    async () => {
      const matter = await api.createMatter({
        slug: DAVIS,
        title: "E2E Davis v. City of New York stipulation",
        jurisdiction: "New York",
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
              buffer: readFileSync(DAVIS_TEXT),
            },
          },
        },
      );
      const docId = up.items[0]?.document.id;
      expect(docId, "the stipulation's document");
      await poll(
        async () => (await api.getJson<Document>(`/api/v1/documents/${docId}`)).status === "ready",
        "the stipulation's text",
      );
      await page.goto(`${base}/matters/${DAVIS}/documents`);
      await page
        .getByRole("button", { name: "Find provisions in Stipulation of Settlement and Order (ECF 330)" })
        .click();
      await page.waitForURL(/\/parses\/[0-9a-f-]+/);
      await expectVisible(
        page.getByRole("heading", { name: "Check the provisions found" }),
        "the check screen",
      );
      const outline = page.getByRole("table", { name: /The outline found in/ });
      await expectVisible(outline.getByRole("row", { name: /^B\.1, level 2, under B/ }), "B.1 under B");
      const exhibits = page.getByRole("region", { name: "Exhibits and attachments after the body" });
      await expectVisible(exhibits.getByText(/^Exhibit A · p\. \d+$/), "Exhibit A listed, not a provision");
      await j.shot(page, "66-outline-check");
      // A warning's link shows the node it is about, focused, under its parent.
      const checks = page.getByRole("region", { name: "To check" });
      await checks.getByRole("button", { name: "Show T.1", exact: true }).click();
      await expectFocused(page, "T.1");
      await expectVisible(
        outline.getByRole("row", { name: /^T\.1\.a, level 3, under T\.1/ }),
        "T.1.a under T.1",
      );
      await j.shot(page, "67-outline-warning-shown");
    },
  );

  await j.step(
    "provisions: the admin corrects a node's caption by keyboard and accepts the outline",
    async () => {
      // Section F's heading reads "TREPASS" in the filing: the caption is corrected from the keyboard.
      const outline = page.getByRole("table", { name: /The outline found in/ });
      const f = outline.getByRole("row", { name: /^F\. Trepass Crime Fact Sheet/ });
      await f.focus();
      await page.keyboard.press("e");
      const dialog = page.getByRole("dialog", { name: "Edit F" });
      await dialog.getByRole("textbox", { name: "Caption" }).fill("Trespass Crime Fact Sheet");
      await dialog.getByRole("button", { name: "Save" }).click();
      await expectVisible(
        outline.getByRole("row", { name: /^F\. Trespass Crime Fact Sheet/ }),
        "the caption fixed",
      );
      // A label another node has is refused before it is sent, in words.
      await outline.getByRole("row", { name: /^F\.1,/ }).focus();
      await page.keyboard.press("r");
      const relabel = page.getByRole("dialog", { name: "Relabel F.1" });
      await relabel.getByRole("textbox", { name: "New label" }).fill("F.2");
      await expectVisible(relabel.getByText(/F\.2 is already the label of another node/), "the clash named");
      await relabel.getByRole("button", { name: "Cancel" }).click();
      await j.shot(page, "68-outline-corrected");

      await page.getByRole("button", { name: "Accept provisions" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Accept", exact: true }).click();
      await expectVisible(page.getByText("Provisions accepted"), "the accepted result");
      const f1 = await api.getJson<{ path: string }>(`/api/v1/matters/${DAVIS}/provisions/F.1`);
      expect(
        f1.path.startsWith("F. Trespass Crime Fact Sheet"),
        `F.1 under the corrected caption: ${f1.path}`,
      );
    },
  );

  await j.step("provisions: an outline node's citable page is at its label", async () => {
    await page.goto(`${base}/matters/${DAVIS}/provisions/${encodeURIComponent("T.1.b")}`);
    await expectVisible(page.getByRole("heading", { name: "T.1.b", level: 1 }), "the T.1.b heading");
    await expectVisible(page.getByText("Final Approval by the Court").first(), "its text");
    const p = await api.getJson<Provision>(
      `/api/v1/matters/${DAVIS}/provisions/${encodeURIComponent("T.1.b")}`,
    );
    expect(p.label === "T.1.b", `T.1.b from the API: ${JSON.stringify(p).slice(0, 200)}`);
    await j.shot(page, "69-outline-provision");
  });

  await j.step(
    "compliance: the monitor's second report is read into ratings, one row corrected, and accepted",
    async () => {
      const docs = await api.getJson<Page<Document>>(`/api/v1/documents?matter=${FULTON}&limit=50`);
      const report = docs.items.find((d) => d.title.startsWith("Monitor's Second Report"));
      expect(Boolean(report), `the bundled second report: ${docs.items.map((d) => d.title).join(" | ")}`);
      await page.goto(`${base}/documents/${report!.id}`);
      await page.getByRole("button", { name: "Read ratings" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("combobox", { name: "Reporting period" }).click();
      await page.getByRole("option", { name: new RegExp(`^${PERIOD}`) }).click();
      await dialog.getByRole("button", { name: "Read ratings" }).click();
      await page.waitForURL(/\/rating-drafts\//, { timeout: 60_000 });
      await expectVisible(
        page.getByRole("heading", { name: "Ratings read from a report" }),
        "the check screen",
      );
      // The decree's scale, bundled with the report's own phrases, reads every row's level.
      await expectVisible(page.getByText("282 ready"), "every row ready");
      await j.shot(page, "70-rating-draft");
      // One row corrected: ¶ 31 (Not Rated in the report) dropped.
      await page.getByText(/^All rows \(/).click();
      // Saved on the server first: the box shows checked once the draft comes back.
      await page.getByRole("checkbox", { name: "Drop row 1 (¶ 31)" }).click();
      await expectVisible(page.getByText("1 dropped"), "one row dropped");
      await page.getByRole("button", { name: "Accept 281 ratings" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Accept 281 ratings" }).click();
      // 281 ratings, their roll-ups and views in one transaction: slow on a busy machine.
      await page.getByText(`281 ratings saved for ${PERIOD}`).waitFor({ timeout: 120_000 });
      await j.shot(page, "71-rating-draft-accepted");
    },
  );

  await j.step(
    "compliance: a provision rated by the monitor and the department shows both, side by side",
    async () => {
      // ¶ 35: Partial Compliance in the report; the department says Substantial Compliance.
      const p = await api.getJson<Provision>(`/api/v1/matters/${FULTON}/provisions/35`);
      const periods = await api.getJson<{ items: { id: string; label: string }[] }>(
        `/api/v1/matters/${FULTON}/periods`,
      );
      const period = periods.items.find((x) => x.label === PERIOD)!;
      await api.send("PUT", `/api/v1/provisions/${p.id}/ratings/${period.id}/department`, {
        data: { level: "substantial_compliance" },
        headers: { "if-match": '"0"' },
      });
      await page.goto(`${base}/provisions/${p.id}`);
      await expectVisible(page.getByText("Disagree").first(), "the disagreement flagged");
      await expectVisible(page.getByText("Justice Department").first(), "the department's column");
      await j.shot(page, "72-provision-two-raters");
    },
  );
});

/** The row of a node has the keyboard focus. */
async function expectFocused(page: Playwright, label: string) {
  await poll(
    () => page.evaluate((l) => document.activeElement?.getAttribute("data-label") === l, label),
    `${label}'s row focused`,
    5_000,
  );
}
