// Webhooks and saved searches: an administrator registers a webhook to a receiver that fails at
// first, reads its deliveries log (status, attempts, the receiver's answer) and sends one again;
// saves a search and a calendar filter, watches the search and gets the filter's feed address.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin();
  // A receiver on loopback that answers 500 until told otherwise.
  let answer = 500;
  const received: string[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      received.push(body);
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/accord`;

  try {
    await j.step("the administrator registers a webhook from Admin › Webhooks", async () => {
      await page.goto(`${base}/admin/webhooks`);
      await page.getByRole("navigation").getByRole("link", { name: "Webhooks" }).waitFor();
      await page.getByRole("button", { name: "Register webhook" }).click();
      const dialog = page.getByRole("dialog", { name: "Register a webhook" });
      await dialog.getByLabel("Receiver address").fill(url);
      await dialog.getByLabel("Description").fill("E2E docket receiver");
      await dialog.getByRole("checkbox", { name: "matter.created" }).check();
      await dialog.getByRole("button", { name: "Register" }).click();
      await expectVisible(dialog.getByText("Copy it now: it is shown only once"), "the signing secret, once");
      await dialog.getByRole("button", { name: "I have copied it" }).click();
      await expectVisible(page.getByRole("table", { name: "Webhooks" }).getByText(url), "the webhook listed");
    });

    await j.step("a change is sent, fails, is logged, and is sent again", async () => {
      await api.send("POST", "/api/v1/matters", {
        data: {
          slug: "e2e-webhook-matter",
          kind: "consent_decree",
          status: "active",
          title: "E2E webhook matter",
          jurisdictionId: (await api.getJson<{ items: { id: string }[] }>("/api/v1/jurisdictions?limit=1"))
            .items[0]!.id,
        },
      });
      await page.getByRole("button", { name: `Deliveries to ${url}` }).click();
      const log = page.getByRole("table", { name: "Deliveries" });
      // The job runner sends it after the change commits (it looks every few seconds).
      await poll(
        async () => {
          await page.reload();
          return log
            .getByRole("cell", { name: "500", exact: true })
            .waitFor({ timeout: 3_000 })
            .then(() => true)
            .catch(() => false);
        },
        "the first attempt answered 500 in the log",
        60_000,
      );
      await expectVisible(log.getByText("matter.created"), "the event kind");
      await expectVisible(log.getByText("The receiver answered 500"), "why it failed");
      await j.shot(page, "90-webhook-delivery-failed");
      answer = 200;
      await log.getByRole("button", { name: /^Send again/ }).click();
      await poll(
        async () => {
          await page.reload();
          return log
            .getByText("Delivered", { exact: true })
            .waitFor({ timeout: 3_000 })
            .then(() => true)
            .catch(() => false);
        },
        "the delivery to be delivered",
        60_000,
      );
      await expectVisible(log.getByRole("cell", { name: "200", exact: true }), "the receiver's 200");
      expect(received.length >= 2, `the receiver got it twice (${received.length})`);
      await j.shot(page, "91-webhook-delivered");
      await j.axe(page, "webhooks");
    });

    await j.step(
      "the administrator saves a search and a calendar filter, watches one, feeds the other",
      async () => {
        await page.goto(`${base}/search?q=${encodeURIComponent("use of force")}`);
        await page.getByRole("button", { name: "Save this search" }).click();
        const save = page.getByRole("dialog", { name: "Save this search" });
        await save.getByLabel("Name").fill("Use of force everywhere");
        await save.getByRole("button", { name: "Save" }).click();
        await expectVisible(page.getByText("Search saved"), "saved");

        await page.goto(`${base}/calendar?kind=hearing`);
        await page.getByRole("button", { name: "Save filter" }).click();
        const filter = page.getByRole("dialog", { name: "Save this calendar filter" });
        await filter.getByLabel("Name").fill("Hearings");
        await filter.getByRole("button", { name: "Save" }).click();
        await expectVisible(page.getByText("Filter saved"), "saved");

        await page.goto(`${base}/settings`);
        const section = page.getByRole("region", { name: "Saved searches and filters" });
        // The switch shows the watch as the server has it: on once the watch is made.
        const watch = section.getByRole("switch", { name: "Watch Use of force everywhere" });
        await watch.click();
        await poll(() => watch.isChecked(), "the switch on");
        await poll(
          async () =>
            (await api.getJson<{ items: { target: string }[] }>("/api/v1/watches")).items.some(
              (w) => w.target === "saved_search",
            ),
          "the watch of the saved search",
        );
        await section.getByRole("button", { name: "Calendar feed of Hearings" }).click();
        const feed = page.getByRole("dialog", { name: "Calendar feed of a saved filter" });
        const address = await feed.getByRole("textbox", { name: "Feed address for Hearings" }).inputValue();
        expect(address.includes("/api/v1/calendar.ics?token="), `a feed address: ${address}`);
        const ics = await page.request.get(address);
        expect(ics.ok() && (await ics.text()).startsWith("BEGIN:VCALENDAR"), "the feed answers iCalendar");
        await feed.getByRole("button", { name: "I have copied it" }).click();
        await expectVisible(section.getByRole("link", { name: "1 feed" }), "one feed follows the filter");
        await section.scrollIntoViewIfNeeded();
        await j.shot(page, "92-saved-searches");
      },
    );
  } finally {
    receiver.close();
  }
});
