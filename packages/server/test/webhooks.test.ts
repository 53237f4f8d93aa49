import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, requests, type TestApp } from "./helpers.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver that answers 500 to the first `failures` requests, then 200. */
async function startReceiver(failures: number) {
  const received: Received[] = [];
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = answered++ < failures ? 500 : 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/accord`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(`webhooks (${ENGINE})`, () => {
  let t: TestApp;
  let strict: TestApp;
  const receivers: { close: () => Promise<void> }[] = [];
  /** The job runner, with short backoffs, until no delivery waits (retries included). */
  const deliverAll = async (maxAttempts = 5) => {
    for (let i = 0; i < 40; i++) {
      await runPendingJobs({
        db: t.database.db,
        dataDir: t.dataDir,
        webhooks: { allowPrivate: true, backoffMs: 20, maxAttempts },
      });
      const waiting = await queryRows(
        t.database.db,
        sql`select 1 from jobs where kind = 'webhook' and status = 'queued'`,
      );
      if (waiting.length === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("deliveries still waiting");
  };

  beforeAll(async () => {
    t = await buildTestApp({ webhookAllowPrivate: true });
    strict = await buildTestApp();
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await t?.close();
    await strict?.close();
  });

  it("refuses what is not http(s), and loopback targets unless the server allows them", async () => {
    const { send } = requests(strict.app);
    const file = await send("POST", "/api/v1/webhooks", {
      url: "file:///etc/passwd",
      kinds: ["event.created"],
    });
    expect([400, 422]).toContain(file.statusCode);
    for (const url of ["http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]/x", "http://10.1.2.3/x"]) {
      const res = await send("POST", "/api/v1/webhooks", { url, kinds: ["event.created"] });
      expect(res.statusCode, url).toBe(422);
      expect(res.json()).toMatchObject({ code: "webhook_target_refused" });
      expect(res.json().detail).toContain("ACCORD_WEBHOOK_ALLOW_PRIVATE");
    }
    expect((await send("GET", "/api/v1/webhooks")).json()).toEqual({ items: [], allowPrivate: false });
    const ftp = await requests(t.app).send("POST", "/api/v1/webhooks", {
      url: "ftp://127.0.0.1/x",
      kinds: ["event.created"],
    });
    expect(ftp.statusCode).toBe(422);
  });

  it("signs each delivery, retries a failing receiver with backoff and logs every attempt", async () => {
    const receiver = await startReceiver(2);
    receivers.push(receiver);
    const { ok, send } = requests(t.app);
    const hook = await send("POST", "/api/v1/webhooks", {
      url: receiver.url,
      kinds: ["event.created"],
      description: "Docket mirror",
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const { id, secret } = hook.json() as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    // The secret is shown once: never listed, never audited.
    const listed = await ok<{ items: object[] }>("GET", "/api/v1/webhooks");
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.items).toMatchObject([{ id, url: receiver.url, kinds: ["event.created"] }]);
    const audit = await ok<object>("GET", "/api/v1/audit?entity=webhook");
    expect(JSON.stringify(audit)).not.toContain(secret);

    const matter = await buildMatter(t.app, { title: "Webhooked decree" });
    const event = await buildEvent(t.app, { matterId: matter.id, title: "Hearing sent out" });
    await deliverAll();

    expect(receiver.received.length).toBe(3); // two failures, then delivered
    const last = receiver.received[2]!;
    const timestamp = last.headers["x-accord-timestamp"] as string;
    const expected = createHmac("sha256", secret).update(`${timestamp}.${last.body}`).digest("hex");
    expect(last.headers["x-accord-signature"]).toBe(`sha256=${expected}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
    const body = JSON.parse(last.body);
    expect(body).toMatchObject({
      kind: "event.created",
      entity: "event",
      entityId: event.id,
      data: { title: "Hearing sent out" },
    });
    expect(last.headers["x-accord-delivery"]).toBe(body.id);
    // Matter creation was not subscribed to: not sent.
    expect(receiver.received.every((r) => JSON.parse(r.body).kind === "event.created")).toBe(true);

    const log = await ok<{ items: object[]; total: number }>("GET", `/api/v1/webhooks/${id}/deliveries`);
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({
      id: body.id,
      kind: "event.created",
      status: "delivered",
      attempts: 3,
      responseCode: 200,
      lastError: null,
    });
  });

  it("sends a new webhook only what happens after it is registered, even if the cursor lags behind", async () => {
    const receiver = await startReceiver(0);
    receivers.push(receiver);
    const { send } = requests(t.app);
    const matter = await buildMatter(t.app, { title: "Decree before the hook" });
    // Committed before the webhook exists; the notification cursor has not reached it yet.
    await buildEvent(t.app, { matterId: matter.id, title: "Hearing before the hook" });
    const hook = await send("POST", "/api/v1/webhooks", { url: receiver.url, kinds: ["event.created"] });
    expect(hook.statusCode, hook.body).toBe(201);
    const after = await buildEvent(t.app, { matterId: matter.id, title: "Hearing after the hook" });
    await deliverAll();
    expect(receiver.received.map((r) => JSON.parse(r.body).entityId)).toEqual([after.id]);
    expect((await send("DELETE", `/api/v1/webhooks/${hook.json().id}`)).statusCode).toBe(204);
  });

  it("gives up after the last attempt, and sends again on request", async () => {
    const receiver = await startReceiver(3);
    receivers.push(receiver);
    const { ok } = requests(t.app);
    const hook = await ok<{ id: string }>("POST", "/api/v1/webhooks", {
      url: receiver.url,
      kinds: ["matter.created"],
    });
    await buildMatter(t.app, { title: "Undeliverable at first" });
    await deliverAll(2);
    const [failed] = (await ok<{ items: { id: string }[] }>("GET", `/api/v1/webhooks/${hook.id}/deliveries`))
      .items;
    expect(failed).toMatchObject({
      status: "failed",
      attempts: 2,
      responseCode: 500,
      lastError: "The receiver answered 500",
    });

    const again = await ok("POST", `/api/v1/webhook-deliveries/${failed!.id}/redeliver`);
    expect(again).toMatchObject({ status: "pending", attempts: 0 });
    // Sending again is a change like any other: audited, against the webhook.
    const audit = await ok<{ items: { action: string; after: { deliveryId: string } }[] }>(
      "GET",
      `/api/v1/audit?entity=webhook&entityId=${hook.id}`,
    );
    expect(audit.items[0]).toMatchObject({
      action: "WEBHOOK_REDELIVERED",
      after: { deliveryId: failed!.id },
    });
    await deliverAll(2);
    const [sent] = (await ok<{ items: object[] }>("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).items;
    expect(sent).toMatchObject({ status: "delivered", attempts: 2, responseCode: 200 });
    expect(receiver.received.length).toBe(4);
    // One delivery, the same body each time.
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it("refuses a loopback receiver at delivery when private targets are not allowed", async () => {
    const receiver = await startReceiver(0);
    receivers.push(receiver);
    const { ok } = requests(t.app);
    const hook = await ok<{ id: string }>("POST", "/api/v1/webhooks", {
      url: receiver.url,
      kinds: ["matter.updated"],
    });
    const matter = await buildMatter(t.app, { title: "Guarded" });
    await ok("PATCH", `/api/v1/matters/${matter.slug}`, { title: "Guarded, renamed" }, { "if-match": '"1"' });
    // This runner, unlike the app that registered it, does not allow private targets.
    await runPendingJobs({
      db: t.database.db,
      dataDir: t.dataDir,
      webhooks: { allowPrivate: false, maxAttempts: 1 },
    });
    const [refused] = (await ok<{ items: object[] }>("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).items;
    expect(refused).toMatchObject({ status: "failed", responseCode: null });
    expect(receiver.received.length).toBe(0);

    expect((await requests(t.app).send("DELETE", `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await requests(t.app).send("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).statusCode).toBe(
      404,
    );
  });

  it("is for administrators only", async () => {
    const reviewer = await t.tokenFor("reviewer");
    const res = await t.anonymous({
      url: "/api/v1/webhooks",
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(res.statusCode).toBe(403);
  });
});
