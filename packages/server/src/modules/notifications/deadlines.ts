import { randomUUID } from "node:crypto";
import {
  DEADLINE_APPROACHING_DAYS,
  type DeadlineOccurrence,
  deadlineOccurrences,
  type NotificationKind,
  type WebhookEventKind,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { ALL } from "../../context/read-scope.js";
import type { Db, Tx } from "../../db/open.js";
import { queryOne, queryRows } from "../../db/sql.js";
import { readDeadlineStatuses, readDeadlines } from "../provisions/index.js";
import type { DispatchOptions } from "./dispatch.js";
import { kindPreference, loadSettings } from "./queries.js";
import { canRead } from "./user-scope.js";

/*
 * "A deadline approaching" and "a deadline missed" are not changes anyone makes, so they do not
 * come from the audit log: a periodic sweep of the job runner looks at the deadline occurrences
 * as they stand on the app's day and tells each person concerned once per occurrence and kind
 * (the notifications_occurrence_key index: user, deadline, the day it falls due, kind).
 */

/** How far ahead an open occurrence counts as approaching (see the domain's constant). */
export const APPROACHING_DAYS = DEADLINE_APPROACHING_DAYS;

/**
 * How far back a miss is still told: an occurrence that became overdue in the last two weeks. A
 * first sweep over years of history (a newly loaded decree, the bundled dataset) would otherwise
 * tell everyone of every deadline missed since the decree was entered.
 */
export const MISSED_LOOKBACK_DAYS = 14;

/** How often the job runner sweeps (a miss is told within this much of the day turning). */
export const SWEEP_EVERY_MINUTES = 60;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Recipient {
  id: string;
  role: string;
}

/**
 * The active users concerned by an occurrence: those watching its matter, the matter's
 * jurisdiction or its provision, those assigned to the matter (its monitor), and the person the
 * occurrence is assigned to. Whether each may read the matter is checked when it is written.
 */
async function concerned(tx: Tx, o: DeadlineOccurrence): Promise<Recipient[]> {
  const assignee = o.status.assignee?.id ?? null;
  return queryRows<Recipient>(
    tx,
    sql`select u.id, u.role from users u where u.active and (
        u.id in (select w.user_id from watches w where (w.target = 'matter' and w.matter_id = ${o.matter.id})
          or (w.target = 'provision' and w.provision_id = ${o.provision.id})
          or (w.target = 'jurisdiction'
            and w.jurisdiction_id = (select m.jurisdiction_id from matters m where m.id = ${o.matter.id})))
        or u.id in (select a.user_id from matter_assignments a where a.matter_id = ${o.matter.id})
        ${assignee ? sql`or u.id = ${assignee}` : sql``})
      order by u.id`,
  );
}

/** Writes one user's notification of an occurrence (once), as their preferences for its kind say. */
async function tell(
  tx: Tx,
  user: Recipient,
  o: DeadlineOccurrence,
  kind: NotificationKind,
  options: DispatchOptions,
): Promise<{ created: boolean; queued: number }> {
  // Always within what the user may read now: a monitor hears only of matters assigned to them.
  if (!(await canRead(tx, user, { table: "matters", id: o.matter.id }))) return { created: false, queued: 0 };
  const settings = await loadSettings(tx, user.id);
  const wants = kindPreference(settings, kind);
  const mail = options.mailEnabled && wants.email && settings.emailMode !== "off" && settings.email !== null;
  if (!wants.inApp && !mail) return { created: false, queued: 0 };
  const what = `${o.provision.label}: ${o.phrase}`;
  const title = kind === "deadline_missed" ? `Deadline missed: ${what}` : `Deadline approaching: ${what}`;
  const detail = [
    kind === "deadline_missed" ? `was due ${o.date}` : `due ${o.date}`,
    o.matter.title,
    o.status.extendedTo ? `extended from ${o.dueOn}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  const link = `/calendar?view=agenda&at=${o.date}&matter=${encodeURIComponent(o.matter.slug)}`;
  const created = await queryOne<{ id: string }>(
    tx,
    sql`insert into notifications (user_id, kind, title, detail, link, entity, entity_id, due_on, in_app, email_pending, created_at)
      values (${user.id}, ${kind}, ${title}, ${detail}, ${link}, 'deadline', ${o.deadlineId}, ${o.dueOn},
        ${wants.inApp}, ${mail}, ${options.now().toISOString()}::timestamptz)
      on conflict do nothing returning id`,
  );
  if (created && mail && settings.emailMode === "immediate") {
    await tx.execute(
      sql`insert into jobs (kind, payload) values ('email', ${JSON.stringify({ userId: user.id })}::jsonb)`,
    );
    return { created: true, queued: 1 };
  }
  return { created: created !== undefined, queued: 0 };
}

/**
 * Queues a signed delivery of the occurrence to every webhook subscribed to its kind, once per
 * webhook, occurrence and kind (webhook_deliveries_occurrence_key). Webhooks are an
 * administrator's and see every matter, as for the kinds that come from changes.
 */
async function queueWebhookDeliveries(
  tx: Tx,
  o: DeadlineOccurrence,
  kind: NotificationKind,
  now: Date,
): Promise<number> {
  const event: WebhookEventKind = kind === "deadline_missed" ? "deadline.missed" : "deadline.approaching";
  const hooks = await queryRows<{ id: string }>(
    tx,
    sql`select id from webhooks where kinds @> ${JSON.stringify([event])}::jsonb`,
  );
  let queued = 0;
  for (const hook of hooks) {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      kind: event,
      occurredAt: now.toISOString(),
      actor: "system",
      entity: "deadline",
      entityId: o.deadlineId,
      data: {
        dueOn: o.dueOn,
        date: o.date,
        phrase: o.phrase,
        duty: o.duty,
        state: o.status.state,
        extendedTo: o.status.extendedTo,
        assignee: o.status.assignee?.username ?? null,
        office: o.status.office,
        provision: { id: o.provision.id, number: o.provision.number, label: o.provision.label },
        matter: o.matter,
      },
    });
    const created = await queryOne(
      tx,
      sql`insert into webhook_deliveries (id, webhook_id, kind, source_key, body, next_attempt_at)
        values (${id}, ${hook.id}, ${event}, ${`${o.deadlineId}|${o.dueOn}|${event}`}, ${body}, now())
        on conflict do nothing returning id`,
    );
    if (created) {
      await tx.execute(
        sql`insert into jobs (kind, payload) values ('webhook', ${JSON.stringify({ deliveryId: id })}::jsonb)`,
      );
      queued++;
    }
  }
  return queued;
}

/**
 * Tells each person concerned of the open occurrences due within APPROACHING_DAYS and of those
 * that became overdue (by the one definition, isOverdue) in the last MISSED_LOOKBACK_DAYS, on the
 * app's day. Met and waived occurrences tell nobody. Safe to run again, and on several servers at
 * once: each notification and webhook delivery is written once. Resolves with how many
 * notifications it wrote and e-mail and webhook jobs it queued.
 */
export async function sweepDeadlineNotifications(
  db: Db,
  options: DispatchOptions,
): Promise<{ notified: number; queued: number }> {
  const today = options.now().toISOString().slice(0, 10);
  // Accord itself reads every deadline; who may read each is checked per recipient.
  const ctx = { db, scope: ALL, now: options.now };
  const rows = await readDeadlines(ctx, sql`true`);
  const occurrences = deadlineOccurrences(
    rows,
    { from: addDays(today, -MISSED_LOOKBACK_DAYS), to: addDays(today, APPROACHING_DAYS) },
    today,
    false,
    await readDeadlineStatuses(
      ctx,
      rows.map((r) => r.id),
    ),
  );
  let notified = 0;
  let queued = 0;
  for (const o of occurrences) {
    if (!o.date || !o.dueOn || o.status.state !== "open") continue;
    const kind: NotificationKind | null = o.overdue
      ? "deadline_missed"
      : o.date >= today && o.date <= addDays(today, APPROACHING_DAYS)
        ? "deadline_approaching"
        : null;
    if (!kind) continue;
    await db.transaction(async (tx) => {
      queued += await queueWebhookDeliveries(tx, o, kind, options.now());
      for (const user of await concerned(tx, o)) {
        const r = await tell(tx, user, o, kind, options);
        if (r.created) notified++;
        queued += r.queued;
      }
    });
  }
  return { notified, queued };
}

/**
 * Whether it is time to sweep: at most once every SWEEP_EVERY_MINUTES across all servers (the one
 * that moves the marker sweeps), or again at once if the app's clock went back.
 */
export async function claimDeadlineSweep(db: Db, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const row = await queryOne<{ key: string }>(
    db,
    sql`insert into settings (key, value) values ('deadline_sweep', jsonb_build_object('at', ${at}::text))
      on conflict (key) do update set value = excluded.value
        where (settings.value->>'at')::timestamptz <= ${at}::timestamptz - make_interval(mins => ${SWEEP_EVERY_MINUTES})
          or (settings.value->>'at')::timestamptz > ${at}::timestamptz
      returning key`,
  );
  return row !== undefined;
}
