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

const inList = (values: Iterable<string>) =>
  sql`(select value from jsonb_array_elements_text(${JSON.stringify([...new Set(values)])}::jsonb))`;

/** Who is concerned by the occurrences of these matters and provisions, read in three queries. */
interface Concerned {
  /** Active users by id. */
  users: Map<string, Recipient>;
  /** Watchers of each matter (directly or through its jurisdiction) and the users assigned to it. */
  byMatter: Map<string, Set<string>>;
  /** Watchers of each provision. */
  byProvision: Map<string, Set<string>>;
}

async function readConcerned(db: Db, occurrences: readonly DeadlineOccurrence[]): Promise<Concerned> {
  const users = new Map(
    (await queryRows<Recipient>(db, sql`select id, role from users where active`)).map((u) => [u.id, u]),
  );
  const group = (rows: { key: string; userId: string }[]) => {
    const out = new Map<string, Set<string>>();
    for (const r of rows) out.set(r.key, (out.get(r.key) ?? new Set()).add(r.userId));
    return out;
  };
  const matters = inList(occurrences.map((o) => o.matter.id));
  const byMatter = group(
    await queryRows(
      db,
      sql`select m.id::text as key, w.user_id as "userId" from matters m join watches w
          on (w.target = 'matter' and w.matter_id = m.id) or (w.target = 'jurisdiction' and w.jurisdiction_id = m.jurisdiction_id)
          where m.id::text in ${matters}
        union select a.matter_id::text, a.user_id from matter_assignments a where a.matter_id::text in ${matters}`,
    ),
  );
  const byProvision = group(
    await queryRows(
      db,
      sql`select provision_id::text as key, user_id as "userId" from watches
          where target = 'provision' and provision_id::text in ${inList(occurrences.map((o) => o.provision.id))}`,
    ),
  );
  return { users, byMatter, byProvision };
}

/**
 * The active users concerned by an occurrence: those watching its matter, the matter's
 * jurisdiction or its provision, those assigned to the matter (its monitor), and the person the
 * occurrence is assigned to. Whether each may read the matter is checked when it is written.
 */
function concerned(c: Concerned, o: DeadlineOccurrence): Recipient[] {
  const ids = new Set([...(c.byMatter.get(o.matter.id) ?? []), ...(c.byProvision.get(o.provision.id) ?? [])]);
  if (o.status.assignee) ids.add(o.status.assignee.id);
  return [...ids]
    .sort()
    .map((id) => c.users.get(id))
    .filter((u): u is Recipient => u !== undefined);
}

/** What one sweep has already read: who may read which matter, and each user's settings. */
interface SweepCache {
  readable: Map<string, boolean>;
  settings: Map<string, Awaited<ReturnType<typeof loadSettings>>>;
}

/** Writes one user's notification of an occurrence (once), as their preferences for its kind say. */
async function tell(
  tx: Tx,
  user: Recipient,
  o: DeadlineOccurrence,
  kind: NotificationKind,
  options: DispatchOptions,
  cache: SweepCache,
): Promise<{ created: boolean; queued: number }> {
  // Always within what the user may read now: a monitor hears only of matters assigned to them.
  const readKey = `${user.id}|${o.matter.id}`;
  let readable = cache.readable.get(readKey);
  if (readable === undefined) {
    readable = await canRead(tx, user, { table: "matters", id: o.matter.id });
    cache.readable.set(readKey, readable);
  }
  if (!readable) return { created: false, queued: 0 };
  let settings = cache.settings.get(user.id);
  if (!settings) {
    settings = await loadSettings(tx, user.id);
    cache.settings.set(user.id, settings);
  }
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

const sourceKey = (o: DeadlineOccurrence, event: WebhookEventKind) => `${o.deadlineId}|${o.dueOn}|${event}`;

/**
 * Queues a signed delivery of the occurrence to every webhook subscribed to its kind, once per
 * webhook, occurrence and kind (webhook_deliveries_occurrence_key). Webhooks are an
 * administrator's and see every matter, as for the kinds that come from changes.
 */
async function queueWebhookDeliveries(
  tx: Tx,
  o: DeadlineOccurrence,
  event: WebhookEventKind,
  hooks: readonly { id: string }[],
  now: Date,
): Promise<number> {
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
        values (${id}, ${hook.id}, ${event}, ${sourceKey(o, event)}, ${body}, now())
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
  const due: { o: DeadlineOccurrence; kind: NotificationKind; event: WebhookEventKind }[] = [];
  for (const o of occurrences) {
    if (!o.date || !o.dueOn || o.status.state !== "open") continue;
    if (o.overdue) due.push({ o, kind: "deadline_missed", event: "deadline.missed" });
    else if (o.date >= today && o.date <= addDays(today, APPROACHING_DAYS))
      due.push({ o, kind: "deadline_approaching", event: "deadline.approaching" });
  }
  if (!due.length) return { notified: 0, queued: 0 };
  // What earlier sweeps wrote is read once, so that a sweep with nothing new writes nothing.
  const dueOns = inList(due.map((d) => d.o.dueOn!));
  const told = new Set(
    (
      await queryRows<{ key: string }>(
        db,
        sql`select user_id || '|' || entity_id || '|' || due_on || '|' || kind as key from notifications
          where due_on in ${dueOns}`,
      )
    ).map((r) => r.key),
  );
  const delivered = new Set(
    (
      await queryRows<{ key: string }>(
        db,
        sql`select webhook_id || '|' || source_key as key from webhook_deliveries
          where source_key is not null and split_part(source_key, '|', 2) in ${dueOns}`,
      )
    ).map((r) => r.key),
  );
  const hooks = await queryRows<{ id: string; kinds: string[] }>(db, sql`select id, kinds from webhooks`);
  const people = await readConcerned(
    db,
    due.map((d) => d.o),
  );
  const cache: SweepCache = { readable: new Map(), settings: new Map() };
  let notified = 0;
  let queued = 0;
  for (const { o, kind, event } of due) {
    const users = concerned(people, o).filter((u) => !told.has(`${u.id}|${o.deadlineId}|${o.dueOn}|${kind}`));
    const toHooks = hooks.filter(
      (h) => h.kinds.includes(event) && !delivered.has(`${h.id}|${sourceKey(o, event)}`),
    );
    if (!users.length && !toHooks.length) continue;
    await db.transaction(async (tx) => {
      queued += await queueWebhookDeliveries(tx, o, event, toHooks, options.now());
      for (const user of users) {
        const r = await tell(tx, user, o, kind, options, cache);
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
