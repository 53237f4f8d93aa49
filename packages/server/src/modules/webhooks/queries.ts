import type { Webhook, WebhookDelivery } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";

const WEBHOOK_COLUMNS = sql`w.id, w.url, w.kinds, w.description, ${isoTime("w.created_at")} as "createdAt", w.created_by as "createdBy"`;

export async function listWebhooks(ctx: ReadContext): Promise<Webhook[]> {
  return queryRows<Webhook>(
    ctx.db,
    sql`select ${WEBHOOK_COLUMNS} from webhooks w order by w.created_at, w.id`,
  );
}

export async function getWebhook(ctx: ReadContext, id: string): Promise<Webhook | undefined> {
  return queryOne<Webhook>(ctx.db, sql`select ${WEBHOOK_COLUMNS} from webhooks w where w.id = ${id}`);
}

const DELIVERY_COLUMNS = sql`d.id, d.webhook_id as "webhookId", d.kind, d.status, d.attempts,
  d.response_code as "responseCode", d.last_error as "lastError", ${isoTime("d.next_attempt_at")} as "nextAttemptAt",
  ${isoTime("d.delivered_at")} as "deliveredAt", ${isoTime("d.created_at")} as "createdAt"`;

/** A webhook's deliveries, newest first. */
export async function listDeliveries(
  ctx: ReadContext,
  webhookId: string,
  page: { limit: number; offset: number },
): Promise<{ items: WebhookDelivery[]; total: number }> {
  const items = await queryRows<WebhookDelivery>(
    ctx.db,
    sql`select ${DELIVERY_COLUMNS} from webhook_deliveries d where d.webhook_id = ${webhookId}
      order by d.created_at desc, d.id limit ${page.limit} offset ${page.offset}`,
  );
  const total = await queryOne<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from webhook_deliveries where webhook_id = ${webhookId}`,
  );
  return { items, total: total?.n ?? 0 };
}

export async function getDelivery(ctx: ReadContext, id: string): Promise<WebhookDelivery | undefined> {
  return queryOne<WebhookDelivery>(
    ctx.db,
    sql`select ${DELIVERY_COLUMNS} from webhook_deliveries d where d.id = ${id}`,
  );
}
