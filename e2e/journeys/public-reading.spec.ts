// Public reading: an anonymous visitor browses the public matters and events read-only; a
// private matter stays out until it is marked public in its form.
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "baltimore-bpd-2017";
const MATTER_TITLE = "Baltimore Police Department consent decree";
const PRIVATE = { slug: "e2e-public-reading-baltimore", title: "E2E private assistance to Baltimore" };

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin();
  await api.createMatter({ ...PRIVATE, jurisdiction: "Baltimore", public: false });
  const { page: anon } = await j.newContext("anonymous");

  await j.step("public reading: an anonymous visitor browses public matters read-only", async () => {
    await anon.goto(`${base}/`);
    await anon.waitForURL(/\/matters$/);
    const nav = anon.getByRole("navigation", { name: "Main" });
    await expectVisible(nav.getByRole("link", { name: "Matters" }), "Matters in the navigation");
    const sections = await nav.getByRole("link").allInnerTexts();
    expect(
      sections.join("|") === "Matters|Documents|Provisions|Calendar|Events",
      `only the public sections: ${sections}`,
    );
    await expectVisible(anon.getByRole("link", { name: "Sign in", exact: true }), "the header's Sign in");
    await anon.getByRole("searchbox", { name: "Text" }).fill("Baltimore");
    await anon.waitForURL(/q=Baltimore/);
    await expectVisible(anon.getByRole("link", { name: MATTER_TITLE }), "a public matter in the list");
    expect((await anon.getByRole("link", { name: "New matter" }).count()) === 0, "no New matter");
    // The private matter seeded above is left out.
    await poll(
      async () => (await anon.getByRole("link", { name: PRIVATE.title }).count()) === 0,
      "the private matter to be left out",
    );
    await j.shot(anon, "29-public-matters");
    await anon.getByRole("link", { name: MATTER_TITLE }).click();
    await expectVisible(anon.getByRole("heading", { name: MATTER_TITLE, level: 1 }), "the matter");
    await expectVisible(anon.getByRole("tab", { name: /Timeline/ }), "the Timeline tab");
    expect((await anon.getByRole("tab", { name: "History" }).count()) === 0, "no History tab");
    expect((await anon.getByRole("tab", { name: "Edit" }).count()) === 0, "no Edit tab");
    expect((await anon.getByRole("region", { name: "Monitors" }).count()) === 0, "no Monitors card");
    await j.shot(anon, "30-public-matter");
    await anon.getByRole("tab", { name: /Timeline/ }).click();
    await anon.waitForURL(/\/timeline$/);
    expect((await anon.getByRole("link", { name: "Add event" }).count()) === 0, "no Add event");
    await anon.goto(`${base}/matters/${MATTER}/history`);
    await anon.waitForURL(/\/sign-in\?next=/);
    await anon.goto(`${base}/events`);
    await expectVisible(anon.getByRole("table", { name: "Events" }), "the public events");
  });

  await j.step("public reading: a private matter marked public in its form opens for them too", async () => {
    const refused = await anon.request.get(`${base}/api/v1/matters/${PRIVATE.slug}`);
    expect(!refused.ok(), `the private matter is refused before: ${refused.status()}`);
    await page.goto(`${base}/matters/${PRIVATE.slug}/edit`);
    await page.getByRole("switch", { name: "Public" }).check({ force: true });
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/matters/${PRIVATE.slug}$`));
    await anon.goto(`${base}/matters/${PRIVATE.slug}`);
    await expectVisible(
      anon.getByRole("heading", { name: PRIVATE.title, level: 1 }),
      "the matter once public",
    );
  });
});
