import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { claimDeadlineSweep, sweepDeadlineNotifications } from "../src/modules/notifications/index.js";
import {
  buildMatter,
  buildTestApp,
  ENGINE,
  monitorIfMatch,
  requests,
  type TestApp,
  uniqueSlug,
} from "./helpers.js";

/**
 * "A deadline approaching" and "a deadline missed": produced by the job runner's sweep on the
 * app's day, once per user, occurrence and kind, never for met ones, within the user's scope and
 * as their preferences say.
 */

interface Inbox {
  items: { kind: string; title: string; detail: string | null; link: string; entityId: string | null }[];
  total: number;
}

describe(`deadline notifications (${ENGINE})`, () => {
  let t: TestApp;
  let day = "2026-03-01";
  const token: Record<"rita" | "mona" | "pat", string> = { rita: "", mona: "", pat: "" };
  const name: Record<keyof typeof token, string> = { rita: "", mona: "", pat: "" };
  const deadline: Record<
    "soon" | "missed" | "met" | "early" | "later" | "old" | "foreign" | "mailed",
    string
  > = {
    mailed: "",
    soon: "",
    missed: "",
    met: "",
    early: "",
    later: "",
    old: "",
    foreign: "",
  };
  let matter: { id: string; slug: string };
  let other: { id: string; slug: string };

  const as = (who: keyof typeof token, method: string, url: string, payload?: unknown) =>
    t.anonymous({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${token[who]}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  /** Each notification of the user's inbox as "kind deadline-name". */
  const told = async (who: keyof typeof token) => {
    const inbox = (await as(who, "GET", "/api/v1/notifications?limit=200")).json() as Inbox;
    const nameOf = new Map(Object.entries(deadline).map(([k, v]) => [v, k]));
    return inbox.items.map((n) => `${n.kind} ${nameOf.get(n.entityId ?? "") ?? n.entityId}`).sort();
  };
  const sweep = () =>
    sweepDeadlineNotifications(t.database.db, {
      mailEnabled: false,
      now: () => new Date(`${day}T12:00:00Z`),
    });

  async function insertDatedDeadline(matterId: string, number: number, due: string) {
    const p = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
          values (${matterId}, ${number}, ${`¶ ${number}`}, '[]'::jsonb, ${`¶ ${number}`},
            ${`The City shall file its plan by ${due}.`}, '[]'::jsonb) returning id`,
    );
    const d = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provision_deadlines (provision_id, phrase, anchor)
          values (${p!.id}, ${`by ${due}`}, ${JSON.stringify({ kind: "date", date: due })}::jsonb) returning id`,
    );
    return d!.id;
  }

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${day}T12:00:00Z`) });
    matter = await buildMatter(t.app, { title: "Deadline decree", enteredOn: "2025-01-06" });
    other = await buildMatter(t.app, { title: "Unassigned decree", enteredOn: "2025-01-06" });
    deadline.soon = await insertDatedDeadline(matter.id, 1, "2026-03-10");
    deadline.missed = await insertDatedDeadline(matter.id, 2, "2026-02-25");
    deadline.met = await insertDatedDeadline(matter.id, 3, "2026-02-27");
    deadline.early = await insertDatedDeadline(matter.id, 6, "2026-03-06");
    deadline.later = await insertDatedDeadline(matter.id, 4, "2026-04-30");
    deadline.old = await insertDatedDeadline(matter.id, 5, "2025-06-01");
    deadline.foreign = await insertDatedDeadline(other.id, 1, "2026-03-08");

    name.rita = uniqueSlug("rita");
    name.mona = uniqueSlug("mona");
    name.pat = uniqueSlug("pat");
    token.rita = await t.tokenFor("reviewer", name.rita);
    token.mona = await t.tokenFor("monitor", name.mona);
    token.pat = await t.tokenFor("reviewer", name.pat);
    const { ok } = requests(t.app);
    // Mona is the matter's assigned monitor; she watches nothing.
    await ok(
      "PUT",
      `/api/v1/matters/${matter.slug}/assignments/${name.mona}`,
      undefined,
      await monitorIfMatch(t.app, name.mona),
    );
    // A watch on the other matter left from when she was assigned to it: it tells her nothing now.
    await t.database.db.execute(
      sql`insert into watches (user_id, target, matter_id)
          select id, 'matter', ${other.id} from users where username = ${name.mona}`,
    );
    for (const who of ["rita", "pat"] as const) {
      const w = await as(who, "POST", "/api/v1/watches", { target: "matter", key: matter.slug });
      expect(w.statusCode, w.body).toBe(201);
    }
    const w = await as("rita", "POST", "/api/v1/watches", { target: "matter", key: other.slug });
    expect(w.statusCode, w.body).toBe(201);
    // Pat wants no "approaching", in the inbox or by e-mail.
    const pref = await as("pat", "PUT", "/api/v1/notifications/preferences", {
      kinds: { deadline_approaching: { inApp: false, email: false } },
    });
    expect(pref.statusCode, pref.body).toBe(200);

    // Met with evidence, before the sweep.
    const sha = randomUUID().replaceAll("-", "").padEnd(64, "0");
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, 10, 'text/plain')`,
    );
    const doc = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status)
          values (${matter.id}, ${sha}, 'monitor_report', 'Plan', 'plan.txt', 'ready') returning id`,
    );
    // ¶ 3 (past) and ¶ 6 (due within two weeks, so it would be approaching) are met.
    for (const [id, dueOn, metOn] of [
      [deadline.met, "2026-02-27", "2026-02-26"],
      [deadline.early, "2026-03-06", "2026-02-28"],
    ] as const) {
      const met = await requests(t.app).send(
        "POST",
        `/api/v1/deadlines/${id}/met`,
        { dueOn, metOn, evidence: [{ documentId: doc!.id, page: 1 }] },
        { "if-match": '"0"' },
      );
      expect(met.statusCode, met.body).toBe(200);
    }
  });
  afterAll(() => t?.close());

  it("tells a watcher once of an approaching and a missed occurrence, never of a met one", async () => {
    const first = await sweep();
    expect(await told("rita")).toEqual([
      "deadline_approaching foreign",
      "deadline_approaching soon",
      "deadline_missed missed",
    ]);
    // Run again (and again through the job runner): nothing more.
    expect(await sweep()).toEqual({ notified: 0, queued: 0 });
    expect(first.notified).toBeGreaterThan(0);
    expect(await told("rita")).toHaveLength(3);

    const inbox = (await as("rita", "GET", "/api/v1/notifications")).json() as Inbox;
    const missed = inbox.items.find((n) => n.kind === "deadline_missed")!;
    expect(missed).toMatchObject({
      title: "Deadline missed: ¶ 2: by 2026-02-25",
      detail: "was due 2026-02-25 · Deadline decree",
      link: `/calendar?view=agenda&at=2026-02-25&matter=${matter.slug}`,
    });
    const stored = await queryRows<{ dueOn: string; entity: string }>(
      t.database.db,
      sql`select due_on as "dueOn", entity from notifications where entity_id = ${deadline.missed}`,
    );
    expect(stored.every((n) => n.dueOn === "2026-02-25" && n.entity === "deadline")).toBe(true);
  });

  it("tells the matter's monitor, but never of a matter outside her scope", async () => {
    expect(await told("mona")).toEqual(["deadline_approaching soon", "deadline_missed missed"]);
  });

  it("respects the preference per kind: approaching off, missed still told", async () => {
    expect(await told("pat")).toEqual(["deadline_missed missed"]);
  });

  it("tells of the miss once the approaching occurrence has passed, still once", async () => {
    day = "2026-03-12";
    await sweep();
    await sweep();
    expect(await told("rita")).toEqual([
      "deadline_approaching foreign",
      "deadline_approaching soon",
      "deadline_missed foreign",
      "deadline_missed missed",
      "deadline_missed soon",
    ]);
    expect(await told("pat")).toEqual(["deadline_missed missed", "deadline_missed soon"]);
  });

  it("is swept by the job runner at most hourly", async () => {
    day = "2026-04-20";
    const at = new Date(`${day}T12:00:00Z`);
    const now = () => at;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir, now });
    // ¶ 4 (due 2026-04-30) is now within two weeks: the runner's sweep told of it.
    expect(await told("rita")).toContain("deadline_approaching later");
    expect(await claimDeadlineSweep(t.database.db, new Date(at.getTime() + 30 * 60_000))).toBe(false);
    expect(await claimDeadlineSweep(t.database.db, new Date(at.getTime() + 61 * 60_000))).toBe(true);
  });

  it("e-mails it at once to whoever chose that, through a real SMTP server", async () => {
    const delivered: ParsedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((m) => {
            delivered.push(m);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.server.address() as AddressInfo;
      const mail = {
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: "Accord <accord@example.org>",
        publicUrl: "https://accord.example.org",
        digestHour: 7,
      };
      await t.database.db.execute(
        sql`insert into notification_settings (user_id, email, email_mode)
            select id, 'rita@example.org', 'immediate' from users where username = ${name.rita}`,
      );
      // A new deadline of the watched matter, due within two weeks of the next day swept.
      deadline.mailed = await insertDatedDeadline(matter.id, 7, "2026-05-01");
      const at = new Date("2026-04-21T14:00:00Z");
      await runPendingJobs({ db: t.database.db, dataDir: t.dataDir, mail, now: () => at });
      expect(delivered).toHaveLength(1);
      const message = delivered[0]!;
      expect(message.to).toMatchObject({ text: "rita@example.org" });
      expect(message.subject).toBe("Accord: Deadline approaching: ¶ 7: by 2026-05-01");
      expect(message.text).toContain(
        `https://accord.example.org/calendar?view=agenda&at=2026-05-01&matter=${matter.slug}`,
      );
      // Told once: the next hour's sweep sends nothing more.
      await runPendingJobs({
        db: t.database.db,
        dataDir: t.dataDir,
        mail,
        now: () => new Date(at.getTime() + 2 * 3_600_000),
      });
      expect(delivered).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("queues one signed delivery per occurrence to webhooks subscribed to deadline kinds", async () => {
    const hook = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into webhooks (url, kinds, secret, created_by)
          values ('https://hooks.example.org/accord', '["deadline.missed"]'::jsonb, 'secret', 'admin') returning id`,
    );
    day = "2026-05-03";
    const first = await sweep();
    await sweep();
    const deliveries = await queryRows<{ kind: string; body: string; status: string }>(
      t.database.db,
      sql`select kind, body, status from webhook_deliveries where webhook_id = ${hook!.id}`,
    );
    // ¶ 4 (due 2026-04-30) and ¶ 7 (2026-05-01) were missed; nothing is approaching then.
    expect(deliveries.map((d) => [d.kind, JSON.parse(d.body).data.dueOn]).sort()).toEqual([
      ["deadline.missed", "2026-04-30"],
      ["deadline.missed", "2026-05-01"],
    ]);
    expect(JSON.parse(deliveries[0]!.body)).toMatchObject({
      kind: "deadline.missed",
      entity: "deadline",
      data: { state: "open", matter: { slug: matter.slug } },
    });
    expect(first.queued).toBe(2);
    const jobs = await queryRows(t.database.db, sql`select id from jobs where kind = 'webhook'`);
    expect(jobs).toHaveLength(2);
  });
});
