// Two-factor authentication: an approving official (whose role must use it) is sent to Settings
// until it is on; setting it up with the app and recovery codes; signing in with the app's code
// or a recovery code; removing it again.
import { Authenticator, accountMenu, type Person, signIn, totp } from "../fixtures/auth.js";
import { expect, expectVisible } from "../fixtures/expect.js";
import { defineJourney } from "../fixtures/journey.js";

export default defineJourney(async (j) => {
  const { base } = j;
  const { api } = await j.asAdmin();
  const approver: Person & { name: string } = { username: "alma", name: "Alma Approver", password: "" };
  approver.password = await api.createUser(approver.username, approver.name, "approver");
  const { context, page } = await j.newContext("approver");
  let app: Authenticator | undefined;
  let recoveryCodes: string[] = [];

  /** Sign out from the header menu, then give the approver's user name and password. */
  async function signInAgainWithPassword() {
    await page.getByRole("button", { name: /, account menu$/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole("textbox", { name: "User name" }).fill(approver.username);
    await page.getByLabel("Password", { exact: true }).fill(approver.password);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await expectVisible(
      page.getByRole("heading", { name: "Two-factor authentication", level: 1 }),
      "the second step of signing in",
    );
  }

  await j.step("an approver must use two-factor: every page goes to Settings with a banner", async () => {
    await signIn(page, base, approver, "/matters");
    await page.waitForURL(/\/settings\?then=%2Fmatters$/);
    const banner = page
      .getByRole("alert")
      .filter({ hasText: "Your role must use two-factor authentication: set it up to continue" });
    await expectVisible(banner, "the must-set-up banner");
    const res = await context.request.get(`${base}/api/v1/matters`);
    const body = (await res.json()) as { code?: string };
    expect(res.status() === 403 && body.code === "second_factor_required", `API: ${res.status()}`);
    await page.getByRole("link", { name: "Agencies", exact: true }).click();
    await page.waitForURL(/\/settings\?then=%2Fagencies$/);
    await expectVisible(banner, "the banner after following a link");
    await expectVisible(page.getByRole("button", { name: "Set up" }), "the set-up button");
    await j.shot(page, "21-totp-required");
  });

  await j.step(
    "set up in Settings: QR code, secret and app link, a wrong code refused, then ten recovery codes",
    async () => {
      const section = page.getByRole("region", { name: "Two-factor authentication" });
      await expectVisible(section.getByText("Off", { exact: true }), "status off");
      await section.getByRole("button", { name: "Set up" }).click();
      const box = section.getByRole("textbox", { name: "Secret key" });
      await expectVisible(box, "the secret key");
      const shown = await box.inputValue();
      expect(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/.test(shown), `the secret in groups of four: ${shown}`);
      const secret = shown.replace(/\s/g, "");
      const link = section.getByRole("link", { name: "Open in authenticator app" });
      const href = await link.getAttribute("href");
      expect(href?.startsWith("otpauth://totp/") && href.includes(`secret=${secret}`), `link: ${href}`);
      const qr = section.getByRole("img", { name: "QR code for your authenticator app" });
      await expectVisible(qr, "the QR code beside the key");
      const qrSrc = (await qr.getAttribute("src")) ?? "";
      expect(
        qrSrc.startsWith("data:image/svg+xml"),
        `a QR code drawn in the browser, not fetched: ${qrSrc.slice(0, 40)}`,
      );
      await j.shot(page, "22-totp-setup");
      const codeBox = section.getByRole("textbox", { name: "Code from the app" });
      await codeBox.fill(totp(secret, -10));
      await section.getByRole("button", { name: "Turn on" }).click();
      await expectVisible(section.getByText(/That code does not match/), "the wrong code, next to its field");
      app = new Authenticator(secret);
      await codeBox.fill(await app.next());
      await section.getByRole("button", { name: "Turn on" }).click();
      const list = section.getByRole("list", { name: "Recovery codes" });
      await expectVisible(list, "the recovery codes");
      recoveryCodes = await list.getByRole("listitem").allInnerTexts();
      expect(
        recoveryCodes.length === 10 &&
          recoveryCodes.every((c) => /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/.test(c)),
        `ten recovery codes: ${recoveryCodes.join(", ")}`,
      );
      await expectVisible(section.getByText(/shown only once/), "the shown-once warning");
      await j.shot(page, "23-totp-recovery-codes");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        section.getByRole("button", { name: "Download as .txt" }).click(),
      ]);
      expect(
        download.suggestedFilename() === `accord-recovery-codes-${approver.username}.txt`,
        "the .txt name",
      );
      await expectVisible(section.getByText("On", { exact: true }), "status on");
      expect((await page.getByText(/Your role must use two-factor/).count()) === 0, "the banner is gone");
      await section.getByRole("button", { name: "I have saved them" }).click();
      // Set up, the approver goes on to the page they last asked for.
      await page.waitForURL(/\/agencies$/);
      await expectVisible(page.getByRole("heading", { name: "Agencies", level: 1 }), "the page asked for");
    },
  );

  await j.step(
    "signing in again asks for the app's code: a wrong one is refused, the right one gets in",
    async () => {
      expect(app, "the app set up in the step before");
      await signInAgainWithPassword();
      const codeBox = page.getByRole("textbox", { name: "Authentication code" });
      expect((await codeBox.getAttribute("autocomplete")) === "one-time-code", "autocomplete=one-time-code");
      expect((await codeBox.getAttribute("inputmode")) === "numeric", "a numeric keyboard");
      expect(await codeBox.evaluate((el) => el === document.activeElement), "the code box has the focus");
      await j.shot(page, "24-sign-in-code");
      await codeBox.fill(totp(app.secret, -10));
      await codeBox.press("Enter");
      await expectVisible(
        page.getByRole("alert").filter({ hasText: "That code did not work" }),
        "the wrong-code message",
      );
      await j.shot(page, "25-sign-in-code-failed");
      // The set-up used a code; a code is never taken twice, so the app's next one.
      await codeBox.fill(await app.next());
      await codeBox.press("Enter");
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await expectVisible(
        page.getByRole("button", { name: accountMenu(approver.name, "Approving official") }),
        "signed in as the approver",
      );
    },
  );

  await j.step("a recovery code signs in once; used again it is refused", async () => {
    const [first, second] = recoveryCodes;
    expect(first && second, "the recovery codes from the set-up");
    await signInAgainWithPassword();
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    const box = page.getByRole("textbox", { name: "Recovery code" });
    await expectVisible(box, "the recovery-code box");
    await box.fill(first);
    await j.shot(page, "26-sign-in-recovery-code");
    await box.press("Enter");
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await signInAgainWithPassword();
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByRole("textbox", { name: "Recovery code" }).fill(first);
    await page.getByRole("textbox", { name: "Recovery code" }).press("Enter");
    await expectVisible(
      page.getByRole("alert").filter({ hasText: "That code did not work" }),
      "a used recovery code refused",
    );
    await page.getByRole("textbox", { name: "Recovery code" }).fill(second.toUpperCase());
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  });

  await j.step("removing two-factor asks for the password; the role then must set it up again", async () => {
    await page.goto(`${base}/settings`);
    const section = page.getByRole("region", { name: "Two-factor authentication" });
    await section.getByRole("button", { name: "Remove" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove two-factor authentication?" });
    await dialog.getByLabel("Your password", { exact: true }).fill("not my password");
    await dialog.getByRole("button", { name: "Remove" }).click();
    await expectVisible(dialog.getByText("Wrong password"), "the wrong password, next to its field");
    await dialog.getByLabel("Your password", { exact: true }).fill(approver.password);
    await dialog.getByRole("button", { name: "Remove" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectVisible(section.getByText("Off", { exact: true }), "status off again");
    await expectVisible(page.getByText(/Your role must use two-factor/), "the banner again");
  });
});
