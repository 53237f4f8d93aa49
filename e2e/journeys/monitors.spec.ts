// Monitors: the administrator assigns a monitor to a matter from its Monitors card; the monitor
// reads only their matters and can change nothing; more matters assigned at once in Admin › Users.
import { accountMenu, type Person, signIn } from "../fixtures/auth.js";
import { expect, expectVisible, poll } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

const MATTER = "baltimore-bpd-2017";
const MATTER_TITLE = "Baltimore Police Department consent decree";
const PRIVATE_SLUG = "e2e-monitors-private-matter";

export default defineJourney(async (j) => {
  const { base } = j;
  const { page, api } = await j.asAdmin();
  const monitor: Person & { name: string } = { username: "mona", name: "Mona Monitor", password: "" };
  monitor.password = await api.createUser(monitor.username, monitor.name, "monitor");
  // A matter the monitor is not assigned to, which only signed-in people with access may read.
  await api.createMatter({
    slug: PRIVATE_SLUG,
    title: "E2E matter no monitor reads",
    jurisdiction: "Baltimore",
  });
  const asMonitor = await j.newContext("monitor");
  const monitorPage = asMonitor.page;

  await j.step("admin assigns a new monitor to a matter from its Monitors card", async () => {
    await page.goto(`${base}/matters/${MATTER}`);
    const card = page.getByRole("region", { name: "Monitors" });
    await expectVisible(card.getByText("No monitor is assigned to this matter."), "no monitor yet");
    await card.getByRole("combobox", { name: "Assign a monitor" }).click();
    await page.getByRole("option", { name: `${monitor.name} (${monitor.username})` }).click();
    const assigned = card.getByRole("list", { name: "Assigned monitors" }).getByRole("listitem");
    await expectVisible(assigned.filter({ hasText: monitor.name }), "the monitor in the card");
    await expectVisible(assigned.getByText(/^since .+ · by admin$/), "since when, and by whom");
    await expectVisible(page.getByText("Public", { exact: true }), "the Public badge in the header");
    await card.scrollIntoViewIfNeeded();
    await j.shot(page, "27-matter-monitors");
    const list = await api.getJson<{ total: number; items: { matter: { slug: string } }[] }>(
      `/api/v1/assignments?user=${monitor.username}`,
    );
    expect(list.total === 1 && list.items[0]?.matter.slug === MATTER, `assignments: ${JSON.stringify(list)}`);
  });

  await j.step("the monitor signs in and reads only that matter, with no edit action", async () => {
    await signIn(monitorPage, base, monitor, "/matters");
    await monitorPage.waitForURL(/\/matters$/);
    await expectVisible(
      monitorPage.getByRole("button", { name: accountMenu(monitor.name, "Monitor") }),
      "signed in as the monitor",
    );
    const rows = monitorPage.getByRole("table", { name: "Matters" }).locator("tbody tr");
    await expectVisible(rows.filter({ hasText: MATTER_TITLE }), "the assigned matter");
    expect((await rows.count()) === 1, `exactly one matter: ${await rows.count()}`);
    await expectVisible(monitorPage.getByText("1–1 of 1 matters"), "one matter in all");
    expect((await monitorPage.getByRole("link", { name: "New matter" }).count()) === 0, "no New matter");
    await monitorPage.getByRole("link", { name: MATTER_TITLE }).click();
    await expectVisible(monitorPage.getByRole("tab", { name: /Timeline/ }), "the matter's tabs");
    expect((await monitorPage.getByRole("tab", { name: "Edit" }).count()) === 0, "no Edit tab for a monitor");
    expect((await monitorPage.getByRole("region", { name: "Monitors" }).count()) === 0, "no Monitors card");
    const other = await asMonitor.context.request.get(`${base}/api/v1/matters/${PRIVATE_SLUG}`);
    expect(other.status() === 404, `another matter: ${other.status()}`);
  });

  await j.step("Users: a monitor's matters in a drawer; several more assigned at once", async () => {
    await page.goto(`${base}/admin/users`);
    await page.getByRole("button", { name: `Matters (1) of ${monitor.username}` }).click();
    const drawer = page.getByRole("dialog", { name: `Matters of ${monitor.name}` });
    const table = drawer.getByRole("table", { name: `Matters of ${monitor.username}` });
    await expectVisible(table.getByRole("link", { name: MATTER_TITLE }), "the assigned matter, linked");
    const picker = drawer.getByRole("combobox", { name: "Assign matters" });
    await picker.click();
    await picker.fill("Chicago");
    const options = page.getByRole("option", { name: /Chicago/ });
    await poll(async () => (await options.count()) >= 2, "two Chicago matters to pick");
    await options.first().click();
    await options.nth(1).click();
    await page.keyboard.press("Escape");
    await drawer.getByRole("button", { name: "Assign 2 matters" }).click();
    await poll(async () => (await table.locator("tbody tr").count()) === 3, "three matters in the drawer");
    await j.shot(page, "28-users-monitor-matters");
    await page.keyboard.press("Escape");
    await expectVisible(
      page.getByRole("button", { name: `Matters (3) of ${monitor.username}` }),
      "the count in the row",
    );
    await monitorPage.goto(`${base}/matters`);
    const rows = monitorPage.getByRole("table", { name: "Matters" }).locator("tbody tr");
    await poll(async () => (await rows.count()) === 3, "the monitor's list to hold three matters");
  });
});
