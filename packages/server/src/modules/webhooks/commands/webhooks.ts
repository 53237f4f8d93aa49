import { randomBytes } from "node:crypto";
import type { CreateWebhook, Webhook, WebhookDelivery } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { withDb } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getDelivery, getWebhook } from "../queries.js";
import { checkWebhookUrl } from "../target.js";

/** Registers a webhook; its signing secret is returned this once. */
export async function createWebhook(
  input: CreateWebhook,
  ctx: CommandContext,
  { allowPrivate }: { allowPrivate: boolean },
): Promise<Webhook & { secret: string }> {
  const url = checkWebhookUrl(input.url, allowPrivate);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const kinds = [...new Set(input.kinds)];
  return ctx.db.transaction(async (tx) => {
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into webhooks (url, kinds, description, secret, created_by)
        values (${url.toString()}, ${JSON.stringify(kinds)}::jsonb, ${input.description || null}, ${secret}, ${ctx.actor})
        returning id`,
    );
    const created = (await getWebhook(withDb(ctx, tx), row!.id))!;
    // The secret stays out of the audit log.
    await recordAudit(tx, ctx, {
      action: "WEBHOOK_CREATED",
      entity: "webhook",
      entityId: created.id,
      after: created,
    });
    return { ...created, secret };
  });
}

/** Removes a webhook and its deliveries (those waiting are not sent). */
export async function deleteWebhook(id: string, ctx: CommandContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getWebhook(withDb(ctx, tx), id);
    if (!before) throw appError("not_found", "No such webhook");
    await tx.execute(sql`delete from webhooks where id = ${id}`);
    await recordAudit(tx, ctx, { action: "WEBHOOK_DELETED", entity: "webhook", entityId: id, before });
  });
}

/** Sends a delivery again (delivered or failed alike), as a new round of attempts. */
export async function redeliver(id: string, ctx: CommandContext): Promise<WebhookDelivery> {
  return ctx.db.transaction(async (tx) => {
    const before = await getDelivery(withDb(ctx, tx), id);
    if (!before) throw appError("not_found", "No such delivery");
    await tx.execute(
      sql`update webhook_deliveries set status = 'pending', attempts = 0, last_error = null, response_code = null,
          delivered_at = null, next_attempt_at = now() where id = ${id}`,
    );
    await recordAudit(tx, ctx, {
      action: "WEBHOOK_REDELIVERED",
      entity: "webhook",
      entityId: before.webhookId,
      before: { deliveryId: id, kind: before.kind, status: before.status, attempts: before.attempts },
      after: { deliveryId: id, status: "pending" },
    });
    await tx.execute(
      sql`insert into jobs (kind, payload) values ('webhook', ${JSON.stringify({ deliveryId: id })}::jsonb)`,
    );
    return (await getDelivery(withDb(ctx, tx), id))!;
  });
}
