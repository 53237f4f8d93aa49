// Editing the registry: a matter's edit form (saved, validated in the browser, guarded against
// two editors), a new matter with the server's errors next to their fields, a postponed hearing.
import type { Matter } from "../fixtures/api.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "baltimore-bpd-2017";
const NEW_SLUG = "e2e-ta-baltimore";
const NEW_TITLE = "E2E technical assistance to Baltimore";

export default defineJourney(async (j) => {
  const { base } = j;
  const { context, page, api } = await j.asAdmin();
  const monitor = `Monitor e2e ${Date.now()}`;

  await j.step("edit the monitor, save, reload: the change is kept", async () => {
    await page.goto(`${base}/matters/${MATTER}`);
    await page.getByRole("tab", { name: "Edit" }).click();
    await page.waitForURL(/\/edit$/);
    const before = await api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
    const field = page.getByRole("textbox", { name: "Monitor" });
    await field.fill(monitor);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await page.reload();
    await expectVisible(page.getByText(monitor, { exact: true }), "the saved monitor after reload");
    const saved = await api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
    expect(saved.monitor === monitor, `API has monitor ${saved.monitor}`);
    // Editing one field leaves the lists alone.
    expect(saved.agencies.length === before.agencies.length, `agencies kept: ${saved.agencies.length}`);
    expect(saved.sources.length === before.sources.length, `sources kept: ${saved.sources.length}`);
  });

  await j.step(
    "client-side validation: a day that does not exist is refused in words next to its field",
    async () => {
      await page.goto(`${base}/matters/${MATTER}/edit`);
      const ended = page.getByRole("textbox", { name: "Ended" });
      await ended.fill("2017-02-30");
      await expectVisible(page.getByText("February 2017 has no day 30."), "the date error, in words");
      const title = page.getByRole("textbox", { name: "Title" });
      const maxLength = await title.getAttribute("maxlength");
      expect(maxLength === "300", `the title carries the server's limit: maxlength ${maxLength}`);
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.waitForFunction(() => document.activeElement?.getAttribute("data-path") === "endedOn");
      await j.shot(page, "05-validation");
    },
  );

  await j.step("leaving with unsaved edits asks first: Stay keeps them, Leave discards them", async () => {
    // The form still holds the day typed in the step before.
    const ended = page.getByRole("textbox", { name: "Ended" });
    const matters = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Matters" });
    await matters.click();
    const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
    await expectVisible(dialog, "the question before leaving");
    await expectVisible(dialog.getByText("The changes to this matter are not saved"), "what would be lost");
    await j.shot(page, "05b-leave-unsaved");
    await dialog.getByRole("button", { name: "Stay" }).click();
    expect(page.url().endsWith(`/matters/${MATTER}/edit`), `still on the form: ${page.url()}`);
    expect((await ended.inputValue()) === "2017-02-30", "the edit is kept after Stay");
    await matters.click();
    await page
      .getByRole("dialog", { name: "Leave without saving?" })
      .getByRole("button", { name: "Leave and discard" })
      .click();
    await page.waitForURL(/\/matters$/);
    const saved = await api.getJson<{ endedOn?: string | null }>(`/api/v1/matters/${MATTER}`);
    expect(saved.endedOn !== "2017-02-30", "nothing was saved");
  });

  await j.step("two editors: the second save gets the conflict message", async () => {
    const pageB = await context.newPage();
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
      .filter({ hasText: "This matter was saved in another tab or by another user while you were editing" });
    await expectVisible(alert, "the conflict message");
    const text = (await alert.textContent()) ?? "";
    expect(/version \d+/.test(text), `message names the version: ${text}`);
    expect(/Your changes were not saved/.test(text), "message says nothing was saved");
    await j.shot(pageB, "06-conflict");
    const current = await api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
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
    // Page B must have read the matter before A saves (else it reads A's version and no
    // conflict happens): its form shows the judge B saved.
    await poll(
      async () =>
        (await pageB.getByRole("textbox", { name: "Judge" }).inputValue()) ===
        "Judge from page B, after loading theirs",
      "page B's form loaded",
    );
    await page.getByRole("textbox", { name: "Court" }).fill("Court from page A");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await pageB.getByRole("textbox", { name: "Court" }).fill("Court from page B");
    await pageB.getByRole("button", { name: "Save changes" }).click();
    await expectVisible(pageB.getByRole("button", { name: "Overwrite with mine" }), "overwrite button");
    await pageB.getByRole("button", { name: "Overwrite with mine" }).click();
    await pageB.waitForURL(new RegExp(`/matters/${MATTER}$`));
    const after = await api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
    expect(after.court === "Court from page B", `court after overwrite: ${after.court}`);

    // Edits to different fields merge: B's judge goes on top of A's court.
    const openBoth = async () => {
      await page.goto(`${base}/matters/${MATTER}/edit`);
      await pageB.goto(`${base}/matters/${MATTER}/edit`);
      const judge = (await api.getJson<Matter>(`/api/v1/matters/${MATTER}`)).judge ?? "";
      await poll(
        async () => (await pageB.getByRole("textbox", { name: "Judge" }).inputValue()) === judge,
        "page B's form loaded",
      );
    };
    await openBoth();
    await page.getByRole("textbox", { name: "Court" }).fill("Court merged from A");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await pageB.getByRole("textbox", { name: "Judge" }).fill("Judge merged from B");
    await pageB.getByRole("button", { name: "Save changes" }).click();
    const mergeAlert = pageB.getByRole("alert").filter({ hasText: "They changed: Court." });
    await expectVisible(mergeAlert, "what they changed");
    await j.shot(pageB, "06b-conflict-merge");
    await pageB.getByRole("button", { name: "Save mine on top of theirs" }).click();
    await pageB.waitForURL(new RegExp(`/matters/${MATTER}$`));
    const merged = await api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
    expect(merged.court === "Court merged from A", `their court kept: ${merged.court}`);
    expect(merged.judge === "Judge merged from B", `my judge saved: ${merged.judge}`);

    // A field both changed is chosen per field; B's other change still goes through.
    await openBoth();
    await page.getByRole("textbox", { name: "Judge" }).fill("Judge chosen from A");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}$`));
    await pageB.getByRole("textbox", { name: "Judge" }).fill("Judge not chosen from B");
    await pageB.getByRole("textbox", { name: "Monitor" }).fill("Monitor merged from B");
    await pageB.getByRole("button", { name: "Save changes" }).click();
    const judgeChoice = pageB.getByRole("radiogroup", { name: "Judge" });
    await expectVisible(judgeChoice, "a choice for the judge");
    await judgeChoice.getByRole("radio", { name: "Theirs: Judge chosen from A" }).check();
    await j.shot(pageB, "06c-conflict-choose");
    await pageB.getByRole("button", { name: "Save with these choices" }).click();
    await pageB.waitForURL(new RegExp(`/matters/${MATTER}$`));
    const chosen = await api.getJson<Matter>(`/api/v1/matters/${MATTER}`);
    expect(chosen.judge === "Judge chosen from A", `their judge chosen: ${chosen.judge}`);
    expect(chosen.monitor === "Monitor merged from B", `my monitor saved: ${chosen.monitor}`);
    await pageB.close();
  });

  await j.step("create a matter: server errors show next to their field, then it saves", async () => {
    await page.goto(`${base}/matters`);
    await page.getByRole("link", { name: "New matter" }).click();
    await page.waitForURL(/\/matters\/new$/);
    const form = page.getByRole("form", { name: "New matter" });
    await form.getByRole("textbox", { name: "Title" }).fill(NEW_TITLE);
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
    await j.shot(page, "07-create-error");
    await slug.fill(NEW_SLUG);
    await form.getByRole("button", { name: "Create matter" }).click();
    await page.waitForURL(new RegExp(`/matters/${NEW_SLUG}$`));
    await expectVisible(page.getByRole("heading", { name: NEW_TITLE }), "new matter");
    await expectVisible(page.getByText("May 2024", { exact: true }), "opened date kept at month precision");
    await expectVisible(page.getByText("Baltimore Police Department").first(), "agency on the new matter");
    const created = await api.getJson<Matter>(`/api/v1/matters/${NEW_SLUG}`);
    expect(!created.public, "a new matter starts private");
  });

  await j.step("create a matter for a new place: the jurisdiction and agency made in the form", async () => {
    await page.goto(`${base}/matters/new`);
    const form = page.getByRole("form", { name: "New matter" });
    await form.getByRole("textbox", { name: "Title" }).fill("E2E grant to a new town");
    await form.getByRole("combobox", { name: "Kind" }).click();
    await page.getByRole("listbox").getByRole("option", { name: "Grant" }).click();
    await form.getByRole("button", { name: "New jurisdiction…" }).click();
    const placeDialog = page.getByRole("dialog", { name: "New jurisdiction" });
    await placeDialog.getByRole("button", { name: "Create jurisdiction" }).click();
    await expectVisible(placeDialog.getByText("Choose the state"), "the missing state said on its field");
    await placeDialog.getByRole("textbox", { name: "Name" }).fill("E2E Newtown");
    await placeDialog.getByRole("combobox", { name: "State" }).fill("Vermont");
    await page.getByRole("option", { name: /Vermont/ }).click();
    await j.shot(page, "07b-new-jurisdiction-inline");
    await placeDialog.getByRole("button", { name: "Create jurisdiction" }).click();
    await placeDialog.waitFor({ state: "hidden" });
    await poll(
      async () =>
        (await form.getByRole("combobox", { name: "Jurisdiction" }).inputValue()) === "E2E Newtown, VT",
      "the new jurisdiction chosen in the form",
    );
    await form.getByRole("button", { name: "New agency…" }).click();
    const agencyDialog = page.getByRole("dialog", { name: "New agency of E2E Newtown, VT" });
    await agencyDialog.getByRole("textbox", { name: "Name" }).fill("E2E Newtown Police Department");
    await agencyDialog.getByRole("button", { name: "Create agency" }).click();
    await agencyDialog.waitFor({ state: "hidden" });
    await expectVisible(form.getByText("E2E Newtown Police Department"), "the new agency chosen");
    await form.getByRole("button", { name: "Create matter" }).click();
    await page.waitForURL(/\/matters\/e2e-grant-to-a-new-town$/);
    const created = await api.getJson<{ jurisdiction: { name: string }; agencies: { name: string }[] }>(
      "/api/v1/matters/e2e-grant-to-a-new-town",
    );
    expect(
      created.jurisdiction.name === "E2E Newtown" &&
        created.agencies.map((a) => a.name).join() === "E2E Newtown Police Department",
      `the matter's place: ${JSON.stringify([created.jurisdiction, created.agencies])}`,
    );
  });

  await j.step("add a postponed hearing from the timeline: old date struck, new date shown", async () => {
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
    await j.shot(page, "08-timeline-postponed");
  });
});
