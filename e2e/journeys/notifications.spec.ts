// Notifications: a reviewer watches Baltimore from its jurisdiction page; an administrator adds a
// hearing on the Baltimore decree and assigns the reviewer its review; the job runner tells the
// reviewer of both, in the header's bell and the inbox, and each entry links to its record.
import { type Person, signIn } from "../fixtures/auth.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "baltimore-bpd-2017";
const CYCLE = "e2e-notified-review";
const HEARING = "E2E hearing on the monitor's budget";

export default defineJourney(async (j) => {
  const { base } = j;
  const { api } = await j.asAdmin();
  const reviewer: Person & { name: string } = { username: "nora", name: "Nora Reviewer", password: "" };
  reviewer.password = await api.createUser(reviewer.username, reviewer.name, "reviewer");
  const asReviewer = await j.newContext("reviewer");
  const page = asReviewer.page;
  const matter = await api.getJson<{
    id: string;
    kind: string;
    title: string;
    jurisdiction: { slug: string; name: string };
  }>(`/api/v1/matters/${MATTER}`);
  const place = matter.jurisdiction;

  await j.step("the reviewer watches Baltimore from its jurisdiction page", async () => {
    await signIn(page, base, reviewer, `/jurisdictions/${place.slug}`);
    await page.waitForURL(new RegExp(`/jurisdictions/${place.slug}$`));
    await page.getByRole("button", { name: "Watch", exact: true }).click();
    await expectVisible(page.getByRole("button", { name: "Watching" }), "the button says Watching");
    await expectVisible(
      page.getByRole("link", { name: "Notifications: none unread" }),
      "the bell with nothing unread",
    );
    await j.shot(page, "83-jurisdiction-watched");
  });

  await j.step(
    "an administrator adds a hearing on the decree and assigns the reviewer its review",
    async () => {
      await api.send("POST", "/api/v1/events", {
        data: {
          slug: "e2e-notified-hearing",
          matterId: matter.id,
          kind: "hearing",
          date: "2030-05-06",
          title: HEARING,
        },
      });
      const cycle = await api.send<{ version: number }>("POST", "/api/v1/review-cycles", {
        data: {
          slug: CYCLE,
          name: "E2E notified review",
          scope: { kinds: [matter.kind], statuses: [] },
          criteria: [{ code: "1", title: "Protects civil rights" }],
        },
      });
      await api.send("POST", `/api/v1/review-cycles/${CYCLE}/start`, {
        headers: { "if-match": `"${cycle.version}"` },
        data: {},
      });
      const reviews = await api.getJson<{ items: { id: string; matter: { slug: string } }[] }>(
        `/api/v1/reviews?cycle=${CYCLE}&limit=200`,
      );
      const review = reviews.items.find((r) => r.matter.slug === MATTER);
      expect(review, "a review of the Baltimore decree");
      await api.send("POST", "/api/v1/reviews/assign", {
        data: { assignee: reviewer.username, reviewIds: [review.id] },
      });
    },
  );

  await j.step("the reviewer sees both in the bell and the inbox, and opens the hearing", async () => {
    // The server's job runner produces notifications after the changes commit (it looks every 5 s).
    const bell = page.getByRole("link", { name: "Notifications: 2 unread" });
    await poll(
      async () => {
        await page.reload();
        // The bell counts once its inbox query answers, a moment after the page is drawn.
        return bell
          .waitFor({ timeout: 5_000 })
          .then(() => true)
          .catch(() => false);
      },
      "the bell to count two unread notifications",
      60_000,
    );
    await bell.click();
    await page.waitForURL(/\/inbox$/);
    const inbox = page.getByRole("region", { name: /Notifications/ });
    await expectVisible(inbox.getByRole("link", { name: `New event: ${HEARING}` }), "the hearing");
    await expectVisible(
      inbox.getByRole("link", { name: `Review assigned to you: ${matter.title}` }),
      "the review assigned",
    );
    await expectVisible(
      page.getByRole("region", { name: "What you watch" }).getByRole("link", { name: place.name }),
      "Baltimore among what is watched",
    );
    await j.shot(page, "84-inbox");
    await inbox.getByRole("link", { name: `New event: ${HEARING}` }).click();
    await page.waitForURL(new RegExp(`/matters/${MATTER}/timeline$`));
    await expectVisible(page.getByText(HEARING).first(), "the hearing on the matter's timeline");
    await expectVisible(page.getByRole("link", { name: "Notifications: 1 unread" }), "one left unread");
  });

  await j.step(
    "the reviewer changes what is e-mailed in Settings, and the dashboard lists what changed",
    async () => {
      await page.goto(`${base}/settings`);
      const section = page.getByRole("region", { name: "Notifications" });
      await expectVisible(section.getByText("This server sends no e-mail"), "no SMTP server here, said");
      await section
        .getByRole("checkbox", { name: "A rating that went down on what I watch: by e-mail" })
        .uncheck();
      await section.getByRole("button", { name: "Save notification settings" }).click();
      await expectVisible(page.getByText("Notification settings saved"), "saved");
      const prefs = await asReviewer.context.request.get(`${base}/api/v1/notifications/preferences`);
      const saved = (await prefs.json()) as { kinds: Record<string, { email: boolean }> };
      expect(
        saved.kinds.rating_lowered?.email === false,
        `saved: ${JSON.stringify(saved.kinds.rating_lowered)}`,
      );
      await page.goto(`${base}/`);
      const since = page.getByRole("region", { name: "What changed since your last visit" });
      await expectVisible(since.getByRole("link", { name: HEARING }), "the hearing among the changes");
      await j.shot(page, "85-dashboard-since-last-visit");
    },
  );
});
