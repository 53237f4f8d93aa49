// Reviews: the administrator prepares a cycle in its form and starts the bundled 2017 cycle; a
// reviewer rates the Baltimore decree on the six criteria, cites its entry and recommends; an
// approving official (signing in with their app's code) returns it, then approves it; the
// board, the ratings matrix, the report (PDF and print) and the matter as reviewed.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Api, type Matter } from "../fixtures/api.js";
import { accountMenu, type Person, signIn } from "../fixtures/auth.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "baltimore-bpd-2017";
const MATTER_TITLE = "Baltimore Police Department consent decree";
// The review the issue describes: the bundled 2017 cycle, Baltimore's decree, all six criteria.
const CYCLE = {
  slug: "2017-review",
  name: "2017 review of Department activities with state and local law enforcement",
};
/** The rating given on each of the six criteria, and the tone its matrix cell takes. */
const RATINGS: [code: string, region: RegExp, rating: string, tone: string][] = [
  ["1", /^1 Advances the safety/, "Advances", "good"],
  ["2", /^2 Promotes officer safety/, "Neutral", "neutral"],
  ["3", /^3 Protects and respects/, "Advances", "good"],
  ["4", /^4 Respects local control/, "Conflicts", "bad"],
  ["5", /^5 Is rooted in timely/, "Neutral", "neutral"],
  ["6", /^6 Does not impede recruitment/, "Not applicable", "none"],
];
const ENTERED = "Baltimore Police Department consent decree: entered by the court";
const RETURN_COMMENT = "Say what the monitor reports on officer morale under criterion 2.";

interface Review {
  status: string;
  version: number;
  recommendation: string | null;
  findings: Record<string, { rating: string; rationale: string; citations: { type: string; id: string }[] }>;
}

export default defineJourney(async (j) => {
  const { base } = j;
  const viewport = { width: 1280, height: 800 };
  const { context, page, api } = await j.asAdmin({ viewport });
  const reviewer: Person & { name: string } = { username: "rosa", name: "Rosa Reviewer", password: "" };
  reviewer.password = await api.createUser(reviewer.username, reviewer.name, "reviewer");
  // An approving official whose role must use a second factor: set up over HTTP beforehand.
  const approver: Person & { name: string } = { username: "abel", name: "Abel Approver", password: "" };
  approver.password = await api.createUser(approver.username, approver.name, "approver");
  const approverApi = await Api.signIn(base, approver.username, approver.password);
  approver.authenticator = await approverApi.setUpTotp();
  await approverApi.dispose();
  // The monitor as reviewed: changed after the approval, the review compares the two.
  const reviewedMonitor = `Monitor as reviewed ${Date.now()}`;
  await api.updateMatter(MATTER, { monitor: reviewedMonitor });
  const formCycle = { name: `E2E review ${Date.now()}`, slug: "" };
  const asReviewer = await j.newContext("reviewer", { viewport });
  const asApprover = await j.newContext("approver", { viewport });
  const rosaPage = asReviewer.page;
  const approverPage = asApprover.page;
  let reviewUrl = "";
  const reviewId = () => reviewUrl.split("/").at(-1);

  await j.step(
    "reviews: admin prepares a cycle in the form: criteria with provision topics, its own scale",
    async () => {
      await page.goto(`${base}/reviews`);
      await page.getByRole("link", { name: "New cycle" }).click();
      await page.waitForURL(/\/reviews\/new$/);
      const form = page.getByRole("form", { name: "New cycle" });
      await form.getByRole("textbox", { name: "Name" }).fill(formCycle.name);
      formCycle.slug = await form.getByRole("textbox", { name: "Slug" }).inputValue();
      expect(/^e2e-review-\d+$/.test(formCycle.slug), `the slug follows the name: ${formCycle.slug}`);
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
      await page.waitForURL(new RegExp(`/reviews/${formCycle.slug}$`));
      await expectVisible(page.getByRole("heading", { name: "Criteria (2)" }), "the two criteria");
      await expectVisible(
        page.getByText("Provision topics: Training, Recruitment and hiring"),
        "the criterion's topics",
      );
      const created = await api.getJson<{
        ratingScale: { code: string; tone: string }[];
        criteria: { topics: string[] }[];
      }>(`/api/v1/review-cycles/${formCycle.slug}`);
      const scale = created.ratingScale.map((l) => `${l.code}:${l.tone}`).join(",");
      expect(
        scale === "advances:good,partly_advances:good,neutral:neutral,conflicts:bad,not_applicable:none",
        `the cycle's scale: ${scale}`,
      );
      const topics = created.criteria.map((c) => c.topics.join("+")).join(",");
      expect(topics === "training+recruitment_hiring,", `the criteria's topics: ${topics}`);
    },
  );

  await j.step(
    "reviews: admin starts the bundled 2017 cycle; it says how many reviews it creates",
    async () => {
      const cycle = await api.getJson<{
        status: string;
        criteria: unknown[];
        asOf: string | null;
        scope: { kinds: string[]; statuses: string[] };
      }>(`/api/v1/review-cycles/${CYCLE.slug}`);
      expect(
        cycle.status === "draft" && cycle.criteria.length === 6,
        "the bundled cycle, not started, six criteria",
      );
      // The portfolio as it stood on the cycle's day (the memo's: 2017-03-31), of the kinds it names.
      expect(cycle.asOf === "2017-03-31", `the cycle is as of the memo's day: ${cycle.asOf}`);
      const scope = await api.getJson<{ total: number }>(
        `/api/v1/matters?status=${cycle.scope.statuses.join(",")}&kind=${cycle.scope.kinds.join(",")}&asOf=${cycle.asOf}&limit=1`,
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
      await expectVisible(page.getByRole("link", { name: `Reviews ${scope.total}` }), "the board's total");
      await expectVisible(page.getByRole("table", { name: "Reviews", exact: true }), "the cycle's reviews");
    },
  );

  await j.step("reviews: admin assigns the Baltimore decree's review to a new reviewer", async () => {
    // The cycle has a review per matter in scope: Maryland's are enough to find Baltimore.
    await page.goto(`${base}/reviews/${CYCLE.slug}?state=MD`);
    const row = page
      .getByRole("table", { name: "Reviews", exact: true })
      .getByRole("row")
      .filter({ hasText: MATTER_TITLE });
    await row.getByRole("checkbox", { name: `Select the review of ${MATTER_TITLE}` }).check();
    await page.getByRole("combobox", { name: "Assign to" }).click();
    await page.getByRole("option", { name: new RegExp(`^${reviewer.name} `) }).click();
    await page.getByRole("button", { name: "Assign 1 selected review" }).click();
    await expectVisible(row.getByText(reviewer.name), "the reviewer in the row");
  });

  await j.step(
    "reviews: the reviewer rates all six criteria, cites the decree's entry and recommends; the draft saves",
    async () => {
      await signIn(rosaPage, base, reviewer, "/reviews?tab=mine");
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
      const first = rosaPage.getByRole("region", { name: RATINGS[0]![1] });
      await first.getByRole("combobox", { name: "Cite an event on 1" }).click();
      await rosaPage.getByRole("option", { name: new RegExp(ENTERED) }).click();
      await expectVisible(first.getByText(`7 April 2017 — ${ENTERED}`), "the cited event as a chip");
      // A criterion with provision topics says which provisions of the matter bear on it.
      const sixth = rosaPage.getByRole("region", { name: RATINGS[5]![1] });
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
      await j.shot(rosaPage, "40-review-form");
      await poll(async () => {
        const saved = await asReviewer.api.getJson<Review>(`/api/v1/reviews/${reviewId()}`);
        return (
          saved.status === "draft" &&
          RATINGS.every(
            ([code, , label]) => saved.findings[code]?.rating === label.toLowerCase().replace(/ /g, "_"),
          ) &&
          saved.findings["1"]?.citations.length === 1 &&
          saved.findings["1"].citations[0]?.type === "event" &&
          saved.recommendation === "seek_delay"
        );
      }, "the draft saved on the server: six ratings, the citation, the recommendation");
      const saved = await asReviewer.api.getJson<Review>(`/api/v1/reviews/${reviewId()}`);
      const matter = await asReviewer.api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
      const entered = matter.events.find((e) => e.kind === "decree_entered");
      expect(
        entered?.date === "2017-04-07" && saved.findings["1"]?.citations[0]?.id === entered.id,
        "the citation is the decree's entry on 2017-04-07",
      );
      // One more autosave in the same sitting (however the typing above was batched): the audit
      // log shows the sitting's autosaves as one row (the last step).
      await rosaPage
        .getByRole("textbox", { name: "Rationale for the recommendation" })
        .fill("Ask the court for time to review the decree against the six principles, then report.");
      await poll(
        async () =>
          (await asReviewer.api.getJson<Review>(`/api/v1/reviews/${reviewId()}`)).version > saved.version,
        "a second autosave of the draft",
      );
    },
  );

  await j.step("reviews: the reviewer submits; the approver returns it with a comment", async () => {
    await rosaPage.getByRole("button", { name: "Submit for approval" }).click();
    await expectVisible(
      rosaPage.getByRole("region", { name: "Sign-off" }).getByText("Submitted"),
      "submitted",
    );
    // The approver signs in with their password and their app's code.
    await signIn(approverPage, base, approver, reviewUrl);
    await expectVisible(
      approverPage.getByRole("button", { name: accountMenu(approver.name, "Approving official") }),
      "signed in as the approver, past the second factor",
    );
    await approverPage.goto(`${base}${reviewUrl}`);
    await approverPage.getByRole("button", { name: "Return…" }).click();
    const dialog = approverPage.getByRole("dialog", { name: "Return to the reviewer" });
    await dialog.getByRole("textbox", { name: "What needs to change" }).fill(RETURN_COMMENT);
    await dialog.getByRole("button", { name: "Return review" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectVisible(
      approverPage.getByRole("region", { name: "Sign-off" }).getByText("Returned"),
      "returned",
    );
  });

  await j.step(
    "reviews: the reviewer reads the comment, amends and resubmits; the approver approves",
    async () => {
      await rosaPage.reload();
      const note = rosaPage.getByRole("note", { name: "Returned for changes" });
      await expectVisible(note.getByText(RETURN_COMMENT), "the return comment, prominently");
      await j.shot(rosaPage, "41-review-returned");
      const second = rosaPage.getByRole("region", { name: RATINGS[1]![1] });
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
      await approverPage.reload();
      await approverPage.getByRole("button", { name: "Approve…" }).click();
      await approverPage
        .getByRole("dialog", { name: "Approve this review?" })
        .getByRole("button", { name: "Approve" })
        .click();
      await expectVisible(approverPage.getByText(`Approved by ${approver.name} on`), "Approved by … on …");
      const approved = await asApprover.api.getJson<Review>(`/api/v1/reviews/${reviewId()}`);
      expect(
        approved.findings["2"]?.rationale.startsWith("The monitor reports staffing shortages"),
        "the amendment is in the approved review",
      );
    },
  );

  await j.step("reviews: the board counts it approved; its matrix cells are coloured by rating", async () => {
    await page.goto(`${base}/reviews/${CYCLE.slug}`);
    await expectVisible(page.getByRole("link", { name: /^Approved 1\b/ }), "1 approved on the board");
    await j.shot(page, "42-review-board");
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
    await j.shot(page, "43-review-matrix");
  });

  await j.step("reviews: the cycle's PDF downloads from the board; its report page prints", async () => {
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
    expect(text.includes(`reviewer ${reviewer.name}`), "the PDF names the reviewer");
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
    await expectVisible(matter.getByText(`Reviewer: ${reviewer.name}`), "the reviewer by name");
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
      await j.shot(page, "44-review-report-print");
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  await j.step(
    "reviews: once the matter changes, the review compares it with the matter as reviewed",
    async () => {
      const res = await context.request.get(`${base}/api/v1/reviews/${reviewId()}/report.pdf`);
      expect(
        res.ok() && (await res.body()).subarray(0, 5).toString("latin1") === "%PDF-",
        "the review's PDF",
      );
      const reviewed = (await api.getJson<Matter>(`/api/v1/matters/${MATTER}`)).monitor;
      expect(reviewed === reviewedMonitor, `the monitor as reviewed: ${reviewed}`);
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
      await expectVisible(
        row.getByText(reviewedMonitor, { exact: true }),
        "the monitor as reviewed beside today's",
      );
      await j.shot(page, "45-review-as-reviewed");
    },
  );

  await j.step("the audit log names the review and lists the reviewer's autosaves as one row", async () => {
    await page.goto(`${base}/admin/audit?action=REVIEW_DRAFTED`);
    const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody > tr");
    const row = rows.filter({ hasText: /\d+ autosaves/ }).first();
    await expectVisible(row, "one row standing for several autosaves");
    await expectVisible(
      row.getByText(`${MATTER_TITLE} — ${CYCLE.name}`),
      "the review named by matter and cycle",
    );
    const texts = await rows.allInnerTexts();
    expect(
      texts.every((t) => !/\b[0-9a-f]{8}\b/.test(t)),
      `names, not ids: ${texts.slice(0, 5).join(" | ")}`,
    );
    await j.shot(page, "46-audit-autosaves");
  });
});
