// Signing in: a page that is not public sends an anonymous visitor to sign in; a wrong password
// and a locked account say so; the administrator then lands where they were going.
import { accountMenu } from "../fixtures/auth.js";
import { expect, expectVisible } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";
import { ADMIN_PASSWORD } from "../fixtures/server.js";

export default defineJourney(async (j) => {
  const { base } = j;
  const { context, page } = await j.newContext("visitor");

  await j.step(
    "anonymous: a page that is not public goes to sign-in; wrong password and lockout say so",
    async () => {
      // Public reading is on: matters and events are public, jurisdictions (and the rest) are not.
      const anon = (await (await fetch(`${base}/api/v1/jurisdictions`)).json()) as { code?: string };
      expect(anon.code === "unauthenticated", `anonymous API read: ${JSON.stringify(anon)}`);
      await page.goto(`${base}/jurisdictions?q=Baltimore`);
      await page.waitForURL(/\/sign-in\?next=%2Fjurisdictions%3Fq%3DBaltimore$/);
      await expectVisible(page.getByRole("heading", { name: "Sign in", level: 1 }), "sign-in heading");
      expect(
        (await page.getByRole("navigation", { name: "Main" }).count()) === 0,
        "no navigation before sign-in",
      );
      await page.getByRole("textbox", { name: "User name" }).fill("admin");
      await page.getByLabel("Password", { exact: true }).fill("not the password");
      await page.getByLabel("Password", { exact: true }).press("Enter");
      await expectVisible(
        page.getByRole("alert").filter({ hasText: "Wrong user name or password" }),
        "the wrong-password message",
      );
      await j.shot(page, "00-sign-in-failed");
      // Five failures lock an account for a while; the page says for how long.
      for (let i = 0; i < 5; i++) {
        await context.request.post(`${base}/api/v1/session`, {
          data: { username: "ghost", password: "nope" },
        });
      }
      await page.getByRole("textbox", { name: "User name" }).fill("ghost");
      await page.getByLabel("Password", { exact: true }).fill("nope");
      await page.getByRole("button", { name: "Sign in" }).click();
      const locked = page.getByRole("alert").filter({ hasText: /locked for \d+ more minutes?/ });
      await expectVisible(locked, "the lockout message with its minutes");
      await j.shot(page, "00-sign-in-locked");
    },
  );

  await j.step("admin signs in (Enter submits) and lands where they were going", async () => {
    await page.getByRole("textbox", { name: "User name" }).fill("admin");
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await page.waitForURL(/\/jurisdictions\?q=Baltimore$/);
    await expectVisible(page.getByRole("table", { name: "Jurisdictions" }), "jurisdictions after sign-in");
    const account = page.getByRole("button", { name: accountMenu("Administrator", "Administrator") });
    await expectVisible(account, "the user menu with name and role");
    await expectVisible(page.getByRole("button", { name: "Admin" }), "the Admin section in the navigation");
  });
});
