import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import type { MailConfig } from "../src/modules/notifications/index.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

interface Delivered {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** A real SMTP server on loopback that keeps every message, parsed. */
async function startSmtp() {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          delivered.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe(`notifications by e-mail (${ENGINE})`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mail: MailConfig;
  const token: Record<string, string> = {};
  const as = (who: string, method: string, url: string, payload?: unknown) =>
    t.anonymous({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${token[who]}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  let clock = new Date("2030-03-04T05:00:00Z");
  const run = (withMail: MailConfig | null = mail) =>
    runPendingJobs({ db: t.database.db, dataDir: t.dataDir, mail: withMail, now: () => clock });

  beforeAll(async () => {
    smtp = await startSmtp();
    mail = {
      smtpUrl: smtp.url,
      from: "Accord <accord@example.org>",
      publicUrl: "https://accord.example.org",
      digestHour: 7,
    };
    t = await buildTestApp({ emailAvailable: true });
    for (const [name, role] of [
      ["ida", "reviewer"],
      ["dana", "viewer"],
      ["otto", "viewer"],
    ] as const)
      token[name] = await t.tokenFor(role, name);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it("sends nothing, and breaks nothing, when SMTP is not configured", async () => {
    await as("otto", "PUT", "/api/v1/notifications/preferences", {
      email: "otto@example.org",
      emailMode: "immediate",
    });
    const matter = await buildMatter(t.app, { title: "Unmailed decree" });
    await as("otto", "POST", "/api/v1/watches", { target: "matter", key: matter.slug });
    await buildEvent(t.app, { matterId: matter.id, title: "Unmailed hearing" });
    await run(null);
    expect(smtp.delivered).toEqual([]);
    const inbox = (await as("otto", "GET", "/api/v1/notifications")).json();
    expect(inbox.items.map((n: { title: string }) => n.title)).toEqual(["New event: Unmailed hearing"]);
  });

  it("e-mails each notification at once to whoever chose that: to, subject, link, and nobody else's", async () => {
    const prefs = await as("ida", "PUT", "/api/v1/notifications/preferences", {
      email: "ida@example.org",
      emailMode: "immediate",
    });
    expect(prefs.json()).toMatchObject({
      email: "ida@example.org",
      emailMode: "immediate",
      emailAvailable: true,
    });
    await as("dana", "PUT", "/api/v1/notifications/preferences", {
      email: "dana@example.org",
      emailMode: "daily",
    });
    const baltimore = await buildMatter(t.app, { title: "Baltimore consent decree" });
    const chicago = await buildMatter(t.app, { title: "Chicago consent decree" });
    await as("ida", "POST", "/api/v1/watches", { target: "matter", key: baltimore.slug });
    await as("dana", "POST", "/api/v1/watches", { target: "matter", key: chicago.slug });
    await buildEvent(t.app, { matterId: baltimore.id, title: "Hearing on the monitor's budget" });
    await buildEvent(t.app, { matterId: chicago.id, title: "Chicago status conference" });
    await run();

    // Five in the morning: the daily digest waits for seven.
    expect(smtp.delivered.length).toBe(1);
    const [message] = smtp.delivered;
    expect(message!.envelopeTo).toEqual(["ida@example.org"]);
    expect(message!.mail.to).toMatchObject({ value: [{ address: "ida@example.org" }] });
    expect(message!.mail.from).toMatchObject({ value: [{ address: "accord@example.org" }] });
    expect(message!.mail.subject).toBe("Accord: New event: Hearing on the monitor's budget");
    expect(message!.mail.text).toContain(`https://accord.example.org/matters/${baltimore.slug}/timeline`);
    expect(message!.mail.html).toContain(
      `href="https://accord.example.org/matters/${baltimore.slug}/timeline"`,
    );
    expect(message!.mail.text).not.toContain("Chicago");
    expect(message!.mail.html).not.toContain("Chicago");
    // Sent once: running again sends nothing new.
    await run();
    expect(smtp.delivered.length).toBe(1);
  });

  it("sends the daily digest once a day from the digest hour, with only that user's notifications", async () => {
    clock = new Date("2030-03-04T07:30:00Z");
    await run();
    expect(smtp.delivered.length).toBe(2);
    const digest = smtp.delivered[1]!;
    expect(digest.envelopeTo).toEqual(["dana@example.org"]);
    expect(digest.mail.subject).toBe("Accord daily digest: 1 notification");
    expect(digest.mail.text).toContain("Chicago status conference");
    expect(digest.mail.text).toContain("https://accord.example.org/matters/");
    expect(digest.mail.text).not.toContain("Baltimore");
    expect(digest.mail.text).not.toContain("budget");
    // The same day: no second digest, even with something new waiting.
    const chicago = (await t.app.inject("/api/v1/matters?q=Chicago")).json().items[0];
    await buildEvent(t.app, { matterId: chicago.id, title: "Chicago order" });
    clock = new Date("2030-03-04T20:00:00Z");
    await run();
    expect(smtp.delivered.length).toBe(2);
    clock = new Date("2030-03-05T07:00:00Z");
    await run();
    expect(smtp.delivered.length).toBe(3);
    expect(smtp.delivered[2]!.mail.text).toContain("Chicago order");
  });

  it("sends each notification once when two servers run one user's mail jobs at once", async () => {
    token.mia = await t.tokenFor("viewer", "mia");
    await as("mia", "PUT", "/api/v1/notifications/preferences", {
      email: "mia@example.org",
      emailMode: "immediate",
    });
    const matter = await buildMatter(t.app, { title: "Twice-served decree" });
    await as("mia", "POST", "/api/v1/watches", { target: "matter", key: matter.slug });
    const titles = ["First twin hearing", "Second twin hearing", "Third twin hearing"];
    for (const title of titles) await buildEvent(t.app, { matterId: matter.id, title });
    // The notifications and their three mail jobs, queued; nothing sent yet.
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir, mail, now: () => clock, kinds: ["none"] });
    const before = smtp.delivered.length;
    // Two runners (two servers on one database) take mia's jobs at the same moment.
    const runner = () =>
      runPendingJobs({
        db: t.database.db,
        dataDir: t.dataDir,
        mail,
        now: () => clock,
        kinds: ["email"],
        dispatch: false,
      });
    await Promise.all([runner(), runner()]);
    const toMia = smtp.delivered.slice(before).filter((d) => d.envelopeTo.includes("mia@example.org"));
    for (const title of titles)
      expect(toMia.filter((d) => `${d.mail.subject}\n${d.mail.text}`.includes(title))).toHaveLength(1);
  });
});
