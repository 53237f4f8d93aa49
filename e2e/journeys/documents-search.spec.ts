// Documents and search: the administrator drops a PDF and a text file on a matter and both are
// read; a word found on page 2 of the PDF opens the viewer there with the word marked; a text
// file shows as text; a quoted phrase finds the bundled Fulton County decree, facets narrow it.
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "../fixtures/api.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";
import { root } from "../fixtures/server.js";

const MATTER = "baltimore-bpd-2017";
const MATTER_TITLE = "Baltimore Police Department consent decree";
const PDF_WORD = "zephyrine";
const PDF_TITLE = "E2E filing on the monitor's budget";
const TXT_NAME = "e2e-community-notes.txt";

interface Document {
  id: string;
  title: string;
  kind: string;
  status: string;
  date: string | null;
  pageCount: number | null;
}

/** A small PDF made here with pdfkit (installed for the server): page N says "page N"; `word` only on page 2. */
function makePdf(word: string): Promise<Buffer> {
  const PDFDocument = createRequire(join(root, "packages/server/package.json"))(
    "pdfkit",
  ) as typeof import("pdfkit");
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER" });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
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

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin({ viewport: { width: 1280, height: 800 } });

  await j.step("documents: the admin drops a PDF and a text file on a matter; both are read", async () => {
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
    // Each file its own kind and date: the motion's are not the notes'.
    await files.getByRole("combobox", { name: "Kind of e2e-filing.pdf" }).click();
    await page.getByRole("listbox").getByRole("option", { name: "Motion" }).click();
    await files.getByRole("textbox", { name: "Date of e2e-filing.pdf" }).fill("2024-03");
    await files.getByRole("textbox", { name: `Date of ${TXT_NAME}` }).fill("2024-04-02");
    await j.shot(page, "49-upload-each-file-its-kind-and-date");
    await page.getByRole("button", { name: "Upload 2 files" }).click();
    await expectVisible(files.getByText("Uploaded").first(), "the first file sent");
    await j.shot(page, "50-documents-extracting");
    const table = page.getByRole("table", { name: "Documents" });
    for (const name of [PDF_TITLE, "e2e-community-notes"]) {
      await expectVisible(
        table.getByRole("row").filter({ hasText: name }).getByText("Ready", { exact: true }),
        `${name} ready`,
      );
    }
    const { items } = await api.getJson<Page<Document>>(`/api/v1/matters/${MATTER}/documents`);
    const pdf = items.find((d) => d.title === PDF_TITLE);
    expect(
      pdf?.status === "ready" && pdf.pageCount === 3 && pdf.kind === "motion" && pdf.date === "2024-03",
      `the PDF's document: ${JSON.stringify(pdf)}`,
    );
    const notes = items.find((d) => d.title === "e2e-community-notes");
    expect(
      notes?.kind === "other" && notes.date === "2024-04-02",
      `the notes keep their own kind and date: ${JSON.stringify(notes)}`,
    );
    await table.scrollIntoViewIfNeeded();
    await j.shot(page, "51-documents-ready");
  });

  await j.step(
    "search: a word only on page 2 of the PDF opens the viewer there, the word marked",
    async () => {
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
      await j.shot(page, "52-search");
      await hit.click();
      await page.waitForURL(new RegExp(`/documents/[0-9a-f-]{36}\\?page=2&q=${PDF_WORD}$`));
      const desk = page.getByRole("region", { name: "Page 2" });
      await expectVisible(
        desk.locator(".textLayer mark", { hasText: PDF_WORD }),
        "the word marked on page 2",
      );
      expect((await page.getByRole("textbox", { name: "Page number" }).inputValue()) === "2", "page 2");
      await expectVisible(page.getByText("of 3", { exact: true }), "of 3 pages");
      const drawn = await desk.locator("canvas").evaluate((c: HTMLCanvasElement) => {
        const pixels = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data;
        return c.width > 0 && pixels !== undefined && pixels.some((v) => v < 200);
      });
      expect(drawn, "pdf.js drew the page on the canvas");
      await expectVisible(
        page.getByRole("link", { name: `← ${MATTER_TITLE}` }),
        "the link back to the matter",
      );
      await j.shot(page, "53-viewer-pdf");
      // The arrow keys turn the pages.
      await page.keyboard.press("ArrowLeft");
      await page.waitForURL(/page=1&/);
      await expectVisible(page.getByText("Not on this page"), "the word is not on page 1");
      await page.keyboard.press("ArrowRight");
      await page.waitForURL(/page=2&/);
    },
  );

  await j.step("viewer: a text file shows as text, the words asked for marked", async () => {
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
    await j.shot(page, "54-viewer-text");
  });

  await j.step(
    'search: a "quoted phrase" finds the bundled Fulton County decree; facets narrow it',
    async () => {
      // The bundled decree is read in the background on the first start: wait until it is.
      await poll(
        async () => {
          const docs = await api.getJson<Page<Document>>("/api/v1/matters/fulton-county-jail-2025/documents");
          return docs.items.find((d) => d.kind === "decree")?.status === "ready";
        },
        "the bundled decree's text",
        120_000,
      );
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
      // The decree comes accepted on the first start: its provisions (by their ¶) are hits too.
      await poll(async () => {
        const texts = await results.getByRole("listitem").allInnerTexts();
        return (
          texts.length > 0 &&
          texts.every((t) => (t.includes("Consent decree") && /page \d+/.test(t)) || /¶ \d+/.test(t))
        );
      }, "only the decree's pages and provisions");
      await expectVisible(results.locator("mark", { hasText: /^force$/ }), "the phrase marked");
      await j.shot(page, "55-search-phrase");
    },
  );
});
