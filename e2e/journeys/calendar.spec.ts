// Calendar (issue 19): the administrator opens the calendar's month view, finds a hearing that was
// postponed (its old day struck through, its history), switches to the agenda of the bundled
// Fulton County decree's deadlines, marks the latest overdue one met with evidence (the decree,
// a page), downloads the matter's ICS (ical.js reads it back, the deadline met), and creates a feed.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import type { Page } from "../fixtures/api.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const FULTON = "fulton-county-jail-2025";

interface Document {
  id: string;
  title: string;
  kind: string;
  status: string;
  version: number;
}

interface Occurrence {
  deadlineId: string;
  date: string;
  dueOn: string;
  overdue: boolean;
  phrase: string;
  duty: string | null;
  provision: { number: number; label: string };
  status: { state: string; metOn: string | null; extendedTo?: string | null };
}

/** A day as the app writes it: "May 6, 2025". */
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** A day as the app writes every day: "16 December 2026". */
const dayInWords = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
};

const isoPlus = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin({ acceptDownloads: true });
  let decree: Document | undefined;
  let target: Occurrence | undefined;
  const firstDay = isoPlus(2);
  const newDay = isoPlus(9);

  await j.step(
    "set-up: the Fulton County decree's provisions, and a hearing that was postponed",
    async () => {
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
      const provisions = await api.getJson<{ total: number }>(`/api/v1/matters/${FULTON}/provisions?limit=1`);
      if (provisions.total === 0) {
        const parse = await api.send<{ id: string; version: number }>(
          "POST",
          `/api/v1/documents/${decree.id}/parse`,
        );
        await api.send("POST", `/api/v1/matters/${FULTON}/provisions/accept`, {
          headers: { "if-match": `"${parse.version}"` },
          data: { parseId: parse.id },
        });
      }
      const fulton = await api.getJson<{ id: string }>(`/api/v1/matters/${FULTON}`);
      const hearing = await api.send<{ id: string; version: number }>("POST", "/api/v1/events", {
        data: {
          slug: "e2e-calendar-status-hearing",
          matterId: fulton.id,
          kind: "hearing",
          date: firstDay,
          time: "09:30",
          status: "scheduled",
          title: "E2E status hearing on the monitor's report",
        },
      });
      await api.send("PATCH", `/api/v1/events/${hearing.id}`, {
        headers: { "if-match": `"${hearing.version}"` },
        data: { status: "postponed", newDate: newDay },
      });
    },
  );

  await j.step("calendar: the month view shows the postponed hearing on its new day", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calendar" }).click();
    await page.waitForURL(/\/calendar$/);
    await expectVisible(page.getByRole("heading", { name: "Calendar", level: 1 }), "the calendar's heading");
    await page.goto(`${base}/calendar?at=${newDay}&matter=${FULTON}`);
    const grid = page.getByRole("table", { name: /^Calendar for / });
    await expectVisible(grid, "the month grid");
    await expectVisible(
      grid.getByRole("link", { name: /09:30 E2E status hearing on the monitor's report .*\(Postponed\)/ }),
      "the hearing in the grid",
    );
    await expectVisible(page.getByText(/not marked met or waived/).first(), "what overdue means, on screen");
    await j.shot(page, "90-calendar-month");
  });

  await j.step("calendar: the agenda view, in the URL, with the hearing's history", async () => {
    await page
      .locator("label")
      .filter({ hasText: /^Agenda$/ })
      .click();
    await page.waitForURL(/view=agenda/);
    const agenda = page.getByRole("table", { name: "Agenda" });
    const row = agenda.locator("tbody tr").filter({ hasText: "E2E status hearing" });
    await expectVisible(row.getByText(/Postponed from/), "the day it moved from");
    await expectVisible(row.getByText(/History:/), "its history");
    await row.scrollIntoViewIfNeeded();
    await j.shot(page, "91-calendar-agenda-hearing");
  });

  await j.step("deadlines: mark the latest overdue deadline met with evidence", async () => {
    expect(decree, "the bundled decree");
    // The most recent overdue occurrence of the decree (a recurring duty's latest past date).
    const overdue = await api.getJson<{ items: Occurrence[] }>(
      `/api/v1/matters/${FULTON}/deadlines?overdue=true&limit=1000`,
    );
    target = overdue.items.at(-1);
    expect(target?.dueOn, `an overdue deadline: ${overdue.items.length}`);
    await page.goto(`${base}/calendar?view=agenda&at=${target.date}&matter=${FULTON}&kind=deadline`);
    const agenda = page.getByRole("table", { name: "Agenda" });
    const button = page.getByRole("button", {
      name: `Mark met: ${target.provision.label} due ${dayInWords(target.dueOn)}`,
    });
    const row = agenda.locator("tbody tr").filter({ has: button });
    await expectVisible(row.getByText((target.duty ?? target.phrase).slice(0, 40)), "the duty's sentence");
    await expectVisible(row.getByText("Overdue", { exact: true }), "overdue before it is met");
    await row.scrollIntoViewIfNeeded();
    await j.shot(page, "92-calendar-agenda-deadlines");
    await button.click();
    const dialog = page.getByRole("dialog", { name: `Mark met: ${target.provision.label}` });
    await dialog.getByRole("textbox", { name: "Met on" }).fill(target.dueOn);
    await dialog.getByRole("combobox", { name: "Evidence: document" }).click();
    await page.getByRole("option", { name: decree.title }).click();
    await dialog.getByLabel("Page").fill("12");
    await j.shot(page, "93-mark-met-dialog");
    await dialog.getByRole("button", { name: "Mark met" }).click();
    const metRow = agenda.locator("tbody tr").filter({ hasText: `Met on ${dayInWords(target.dueOn)} — ` });
    await expectVisible(metRow.getByText(/, p\. 12/), "met, with its evidence");
    await expectVisible(metRow.getByText("Met", { exact: true }), "the Met badge");
    await j.shot(page, "94-deadline-met");
    const saved = await api.getJson<{ items: Occurrence[] }>(
      `/api/v1/matters/${FULTON}/deadlines?from=${target.dueOn}&to=${target.dueOn}&limit=1000`,
    );
    const it = saved.items.find((d) => d.deadlineId === target?.deadlineId && d.dueOn === target.dueOn);
    expect(it?.status.state === "met" && !it.overdue, `saved: ${JSON.stringify(it)}`);
  });
  await j.step(
    "deadlines: extend another overdue deadline by an order, the new day typed in words",
    async () => {
      expect(decree && target, "the bundled decree and the deadline marked met");
      const overdue = await api.getJson<{ items: Occurrence[] }>(
        `/api/v1/matters/${FULTON}/deadlines?overdue=true&limit=1000`,
      );
      // Another overdue occurrence than the one marked met (that one is no longer overdue).
      const other = overdue.items.filter((d) => d.status.state === "open").at(-1);
      expect(other?.dueOn, `another overdue deadline: ${overdue.items.length}`);
      await page.goto(`${base}/calendar?view=agenda&at=${other.date}&matter=${FULTON}&kind=deadline`);
      const what = `${other.provision.label} due ${dayInWords(other.dueOn)}`;
      await page.getByRole("button", { name: `More actions: ${what}` }).click();
      await page.getByRole("menuitem", { name: "Extend by an order" }).click();
      const dialog = page.getByRole("dialog", { name: `Extend by an order: ${other.provision.label}` });
      // A day before the old one is refused on the field, in words.
      const field = dialog.getByRole("textbox", { name: "New due date" });
      await field.fill(other.dueOn);
      await dialog.getByRole("combobox", { name: "The order that extended it" }).click();
      await page.getByRole("option", { name: decree.title }).click();
      await dialog.getByRole("button", { name: "Extend by an order" }).click();
      await expectVisible(
        dialog.getByText(`Give a day after ${dayInWords(other.dueOn)}`),
        "the same day refused on the field",
      );
      // A later day typed in words; the field's calendar opens on its month.
      const newDay = isoPlus(60);
      await field.fill(dayInWords(newDay));
      await dialog.getByRole("button", { name: "New due date: pick from a calendar" }).click();
      const calendar = page.getByRole("dialog", { name: "New due date: calendar" });
      await expectVisible(calendar, "the field's calendar");
      await j.shot(page, "94b-extend-dialog-calendar");
      // Escape closes the calendar only; the dialog stays, the day typed kept, its old error gone.
      await page.keyboard.press("Escape");
      await poll(async () => !(await calendar.isVisible()), "the calendar closed");
      expect(await dialog.isVisible(), "Escape in the calendar leaves the dialog open");
      expect((await field.inputValue()) === dayInWords(newDay), `the field keeps ${dayInWords(newDay)}`);
      await poll(
        async () => (await dialog.getByText("Give a day after").count()) === 0,
        "the field's error gone once the day is changed",
      );
      await dialog.getByLabel("Note").fill("Extended by the court's order");
      await dialog.getByRole("button", { name: "Extend by an order" }).click();
      await poll(async () => {
        const saved = await api.getJson<{ items: Occurrence[] }>(
          `/api/v1/matters/${FULTON}/deadlines?from=${other.dueOn}&to=${newDay}&limit=1000`,
        );
        return saved.items.some((d) => d.deadlineId === other.deadlineId && d.status.extendedTo === newDay);
      }, `the deadline extended to ${newDay}`);
      await page.goto(`${base}/calendar?view=agenda&at=${newDay}&matter=${FULTON}&kind=deadline`);
      const extended = page.getByText(new RegExp(`Extended from ${dayInWords(other.dueOn)} by `)).first();
      await expectVisible(extended, "the extension said on the agenda");
      await extended.scrollIntoViewIfNeeded();
      await j.shot(page, "94c-deadline-extended");
    },
  );
  await j.step(
    "feeds: download the matter's ICS; ical.js reads the met deadline and the hearing",
    async () => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download ICS" }).click(),
      ]);
      const path = await download.path();
      expect(path, "the downloaded file");
      const text = readFileSync(path, "utf8");
      const cal = new ICAL.Component(ICAL.parse(text));
      for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
      const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
      expect(target?.dueOn, "the deadline marked met");
      const uid = `deadline-${target.deadlineId}-${target.dueOn}@accord`;
      const met = events.find((e) => e.uid === uid);
      expect(
        met?.summary.startsWith(`Met: ${target.provision.label} `),
        `the met entry ${uid} among ${events.length}: ${met?.summary}`,
      );
      const hearing = events.find((e) => e.summary.includes("E2E status hearing"));
      expect(hearing, "the hearing in the feed");
      expect(
        hearing.startDate.toString() === `${newDay}T09:30:00` && hearing.sequence >= 1,
        `the hearing on its new day: ${hearing.startDate.toString()} seq ${hearing.sequence}`,
      );
    },
  );

  await j.step("feeds: create a personal feed on the settings page", async () => {
    await page.goto(`${base}/settings`);
    const section = page.getByRole("region", { name: "Calendar feeds" });
    await section.getByLabel("Feed name").fill("E2E calendar program");
    await section.getByRole("button", { name: "Create feed" }).click();
    const address = page.getByRole("dialog").getByRole("textbox", { name: /Feed address/ });
    await expectVisible(address, "the feed's address, shown once");
    const url = await address.inputValue();
    expect(/\/api\/v1\/calendar\.ics\?token=cal_/.test(url), `the feed address: ${url}`);
    await j.shot(page, "95-settings-calendar-feed");
    const res = await page.context().request.get(url);
    expect(
      res.status() === 200 && (await res.text()).startsWith("BEGIN:VCALENDAR"),
      `the feed: ${res.status()}`,
    );
    await page.getByRole("button", { name: "I have copied it" }).click();
  });
});
