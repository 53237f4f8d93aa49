import { createHmac } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";
import { checkWebhookUrl, isSpecialAddress } from "./target.js";

export interface WebhookOptions {
  /** Loopback and private receivers are allowed (ACCORD_WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** The wait before the second attempt; each later one waits twice as long (default 30 s). */
  backoffMs: number;
  /** Attempts before a delivery is given up (default 8: the last about an hour after the first). */
  maxAttempts: number;
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  allowPrivate: false,
  backoffMs: 30_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
};

/** The headers a receiver checks: HMAC-SHA256 with the webhook's secret over `timestamp.body`. */
export function signatureHeaders(secret: string, body: string, timestamp: number) {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return { "x-accord-timestamp": String(timestamp), "x-accord-signature": `sha256=${signature}` };
}

/** A DNS lookup that refuses special addresses, so the address connected to is the one checked. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as LookupAddress[];
    const refused = list.find((a) => isSpecialAddress(a.address));
    if (refused)
      return callback(
        Object.assign(
          new Error(`${hostname} resolves to ${refused.address}, a private or loopback address`),
          {
            code: "EREFUSED",
          },
        ),
        "",
        0,
      );
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

interface Attempt {
  ok: boolean;
  status: number | null;
  error: string | null;
}

function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: WebhookOptions,
): Promise<Attempt> {
  return new Promise((resolve) => {
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
        timeout: options.timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        res.resume(); // the answer's body is not kept
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve({ ok, status, error: ok ? null : `The receiver answered ${status}` });
        });
        res.on("error", (e) => resolve({ ok: false, status: res.statusCode ?? null, error: e.message }));
      },
    );
    request.on("timeout", () => request.destroy(new Error(`No answer within ${options.timeoutMs} ms`)));
    request.on("error", (e) => resolve({ ok: false, status: null, error: e.message.slice(0, 300) }));
    request.end(body);
  });
}

export type DeliveryResult =
  | { status: "done" | "failed"; error?: string }
  | { status: "retry"; runAfter: Date };

/**
 * One attempt of one delivery (a job of the durable job table): signed, sent, logged. A failure
 * is tried again after an exponential backoff until the attempts run out.
 */
export async function runDeliveryJob(
  db: Db,
  deliveryId: string,
  options: WebhookOptions,
  now: () => Date = () => new Date(),
): Promise<DeliveryResult> {
  const delivery = await queryOne<{
    body: string;
    attempts: number;
    url: string;
    secret: string;
    kind: string;
  }>(
    db,
    sql`select d.body, d.attempts, d.kind, w.url, w.secret from webhook_deliveries d join webhooks w on w.id = d.webhook_id
      where d.id = ${deliveryId} and d.status = 'pending'`,
  );
  if (!delivery) return { status: "done" }; // removed with its webhook, or already settled
  const attempt = delivery.attempts + 1;
  let result: Attempt;
  try {
    const url = checkWebhookUrl(delivery.url, options.allowPrivate);
    const headers = {
      ...signatureHeaders(delivery.secret, delivery.body, Math.floor(now().getTime() / 1000)),
      "x-accord-delivery": deliveryId,
      "x-accord-event": delivery.kind,
      "user-agent": "Accord-Webhooks/1",
    };
    result = await post(url, delivery.body, headers, options);
  } catch (e) {
    result = { ok: false, status: null, error: (e as Error).message };
  }
  if (result.ok) {
    await db.execute(
      sql`update webhook_deliveries set status = 'delivered', attempts = ${attempt}, response_code = ${result.status},
        last_error = null, next_attempt_at = null, delivered_at = now() where id = ${deliveryId}`,
    );
    return { status: "done" };
  }
  if (attempt >= options.maxAttempts) {
    await db.execute(
      sql`update webhook_deliveries set status = 'failed', attempts = ${attempt}, response_code = ${result.status},
        last_error = ${result.error}, next_attempt_at = null where id = ${deliveryId}`,
    );
    return { status: "failed", error: `Delivery ${deliveryId} failed ${attempt} times: ${result.error}` };
  }
  const runAfter = new Date(Date.now() + options.backoffMs * 2 ** (attempt - 1));
  await db.execute(
    sql`update webhook_deliveries set attempts = ${attempt}, response_code = ${result.status},
      last_error = ${result.error}, next_attempt_at = ${runAfter.toISOString()}::timestamptz where id = ${deliveryId}`,
  );
  return { status: "retry", runAfter };
}
