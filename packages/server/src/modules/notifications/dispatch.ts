import { randomUUID } from "node:crypto";
import {
  type ComplianceLevel,
  DEFAULT_COMPLIANCE_LEVELS,
  type NotificationKind,
  parseSearchQuery,
  type SavedSearchFilters,
  toTsQueryText,
  type WebhookEventKind,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/open.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";
import { periodsOldestFirst } from "../compliance/index.js";
import { kindPreference, loadSettings } from "./queries.js";
import { canRead } from "./user-scope.js";

/*
 * Notifications, e-mail jobs and webhook deliveries are produced here, after the changes commit:
 * the job runner reads the audit log from a cursor (the chain's sequence, which follows commit
 * order: one transaction at a time extends the chain) and writes what each entry calls for in the
 * same transaction that moves the cursor on, so each entry is handled exactly once, and a failure
 * here never touches the change itself.
 */

export interface DispatchOptions {
  /** Whether e-mail can be sent (ACCORD_SMTP_URL): notifications are marked to mail only then. */
  mailEnabled: boolean;
  now: () => Date;
}

/** Entries read per transaction: short transactions, so readers are served in between. */
const BATCH = 100;

interface Entry {
  seq: number;
  at: string;
  /** The same time to the microsecond, as PostgreSQL text. */
  atExact: string;
  actor: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** The webhook event of each audit action that other systems may subscribe to. */
const WEBHOOK_KIND_OF: Record<string, WebhookEventKind> = {
  MATTER_CREATED: "matter.created",
  MATTER_IMPORTED: "matter.created",
  MATTER_UPDATED: "matter.updated",
  MATTER_REIMPORTED: "matter.updated",
  MATTER_DELETED: "matter.deleted",
  EVENT_CREATED: "event.created",
  EVENT_IMPORTED: "event.created",
  EVENT_UPDATED: "event.updated",
  EVENT_REIMPORTED: "event.updated",
  EVENT_DELETED: "event.deleted",
  DOCUMENT_ADDED: "document.added",
  REVIEW_ASSIGNED: "review.assigned",
  REVIEW_SUBMITTED: "review.submitted",
  REVIEW_APPROVED: "review.approved",
  REVIEW_RETURNED: "review.returned",
  ASSESSMENTS_SAVED: "ratings.saved",
  ASSESSMENTS_IMPORTED: "ratings.saved",
  ASSESSMENTS_READ: "ratings.saved",
};

const NOTIFYING = new Set([
  "EVENT_CREATED",
  "EVENT_IMPORTED",
  "DOCUMENT_ADDED",
  "REVIEW_ASSIGNED",
  "REVIEW_SUBMITTED",
  "REVIEW_RETURNED",
  "ASSESSMENTS_SAVED",
  "ASSESSMENTS_IMPORTED",
  "ASSESSMENTS_READ",
]);

const RELEVANT = [...new Set([...NOTIFYING, ...Object.keys(WEBHOOK_KIND_OF)])];

/** Actions whose notifications go to watchers only (of a matter, place, provision, words or search). */
const WATCHED_ONLY = new Set(["EVENT_CREATED", "EVENT_IMPORTED", "DOCUMENT_ADDED"]);

/**
 * Handles the audit entries written since the last call; resolves with how many jobs (e-mail,
 * webhook deliveries) it queued. Another server doing the same at this moment holds the cursor:
 * this one then does nothing.
 */
export async function dispatchNotifications(db: Db, options: DispatchOptions): Promise<number> {
  let queued = 0;
  for (;;) {
    const step = await db.transaction(async (tx) => {
      const cursor = await queryOne<{ seq: number }>(
        tx,
        sql`select (value->>'seq')::bigint::int as seq from settings where key = 'notification_cursor' for update skip locked`,
      );
      if (!cursor) {
        await tx.execute(
          sql`insert into settings (key, value) values ('notification_cursor', '{"seq":0}'::jsonb) on conflict do nothing`,
        );
        return { more: false, queued: 0 };
      }
      const last = await queryOne<{ seq: number | null }>(
        tx,
        sql`select max(chain_seq)::int as seq from (select chain_seq from audit_entries
          where chain_seq > ${cursor.seq} order by chain_seq limit ${BATCH}) s`,
      );
      if (last?.seq == null) return { more: false, queued: 0 };
      const entries = await queryRows<Entry>(
        tx,
        sql`select chain_seq::int as seq, ${isoTime("at")} as at, at::text as "atExact", actor, actor_id as "actorId", action, entity,
            entity_id as "entityId", before, after
          from audit_entries where chain_seq > ${cursor.seq} and chain_seq <= ${last.seq}
            -- Accord's own loads of its bundled dataset (first start, upgrades) tell nobody.
            and actor <> 'system'
            and action in (${sql.join(
              RELEVANT.map((a) => sql`${a}`),
              sql`, `,
            )})
          order by chain_seq`,
      );
      // Who could be told at all, asked once a batch: with no watch and no webhook (a new
      // install, a bulk import before anyone watches), an entry costs no query of its own. Both
      // are exact: a watch or webhook made from now on is newer than every entry here.
      const reach = entries.length
        ? await queryOne<{ watched: boolean; hooked: boolean }>(
            tx,
            sql`select exists (select 1 from watches) as watched, exists (select 1 from webhooks) as hooked`,
          )
        : null;
      let n = 0;
      for (const entry of entries) {
        if (NOTIFYING.has(entry.action) && (reach?.watched || !WATCHED_ONLY.has(entry.action)))
          n += await notifyOf(tx, entry, options);
        if (reach?.hooked) n += await queueWebhookDeliveries(tx, entry);
      }
      await tx.execute(
        sql`update settings set value = jsonb_build_object('seq', ${last.seq}::bigint) where key = 'notification_cursor'`,
      );
      return { more: true, queued: n };
    });
    queued += step.queued;
    if (!step.more) return queued;
  }
}

// ---------------------------------------------------------------- who is told

interface Recipient {
  id: string;
  role: string;
}

interface Draft {
  kind: NotificationKind;
  title: string;
  detail: string | null;
  link: string;
  entity: string;
  entityId: string | null;
  /** What the recipient must be able to read for this to reach them. */
  guard: { table: "matters" | "events" | "documents" | "provisions"; id: string } | null;
}

/**
 * Active users watching the matter, its jurisdiction, one of the provisions, or matching keywords,
 * since before the change (a watch tells of what happens after it is set up, even when the
 * runner reaches older changes later, as after the bundled dataset's first load).
 */
async function watchers(
  tx: Tx,
  at: string,
  on: { matterId: string | null; jurisdictionIds: (string | null)[]; provisionIds?: string[]; text?: string },
): Promise<Recipient[]> {
  const jurisdictions = on.jurisdictionIds.filter((j): j is string => j !== null);
  const provisions = on.provisionIds ?? [];
  const rows = await queryRows<Recipient & { keywords: string | null }>(
    tx,
    sql`select u.id, u.role, w.keywords from watches w join users u on u.id = w.user_id
      where u.active and w.created_at <= ${at}::timestamptz and (
        ${on.matterId ? sql`(w.target = 'matter' and w.matter_id = ${on.matterId})` : sql`false`}
        ${
          jurisdictions.length
            ? sql`or (w.target = 'jurisdiction' and w.jurisdiction_id in (${sql.join(
                jurisdictions.map((j) => sql`${j}`),
                sql`, `,
              )}))`
            : sql``
        }
        ${
          provisions.length
            ? sql`or (w.target = 'provision' and w.provision_id in (${sql.join(
                provisions.map((p) => sql`${p}`),
                sql`, `,
              )}))`
            : sql``
        }
        ${on.text !== undefined ? sql`or w.target = 'keywords'` : sql``})`,
  );
  const text = (on.text ?? "").toLowerCase();
  const seen = new Map<string, Recipient>();
  for (const r of rows) {
    if (r.keywords !== null && !r.keywords.split(" ").every((word) => text.includes(word))) continue;
    seen.set(r.id, { id: r.id, role: r.role });
  }
  return [...seen.values()];
}

/** A new event or document, as a saved search's filters see it. */
interface Subject {
  entity: "event" | "document";
  /** The words a saved search's query is matched against. */
  text: string;
  matterId: string | null;
  matterSlug: string | null;
  /** The state of the matter's (or the event's) jurisdiction. */
  stateCode: string | null;
  documentKind: string | null;
  date: string | null;
}

/**
 * Whether the record passes a saved search's filters (its words are matched apart). The search
 * page's types are matters, document pages and provisions: a document passes a type filter that
 * holds document pages, an event (of a matter's timeline) one that holds matters; a filter on
 * document kinds lets documents of those kinds only.
 */
function passesFilters(query: SavedSearchFilters, subject: Subject): boolean {
  if (query.type?.length && !query.type.includes(subject.entity === "document" ? "document_page" : "matter"))
    return false;
  if (
    query.kind?.length &&
    !(subject.documentKind && (query.kind as string[]).includes(subject.documentKind))
  )
    return false;
  if (query.matter && query.matter !== subject.matterId && query.matter !== subject.matterSlug) return false;
  if (query.state?.length && !(subject.stateCode && (query.state as string[]).includes(subject.stateCode)))
    return false;
  if (query.year?.length && !(subject.date && query.year.includes(Number(subject.date.slice(0, 4)))))
    return false;
  return true;
}

/**
 * Active users watching a saved search, since before the change, whose filters the record passes
 * and whose words it holds, as the search matches them (stemmed: policing finds police; quoted
 * phrases, -exclusions, prefixes). Whether each may read the record is checked when delivering.
 */
async function savedSearchWatchers(tx: Tx, at: string, subject: Subject): Promise<Recipient[]> {
  const rows = await queryRows<Recipient & { query: SavedSearchFilters }>(
    tx,
    sql`select u.id, u.role, s.query from watches w join users u on u.id = w.user_id
      join saved_searches s on s.id = w.saved_search_id
      where u.active and w.target = 'saved_search' and s.kind = 'search' and w.created_at <= ${at}::timestamptz`,
  );
  const found: Recipient[] = [];
  for (const r of rows) {
    if (!passesFilters(r.query, subject)) continue;
    const tsquery = toTsQueryText(parseSearchQuery(r.query.q));
    if (!tsquery) continue;
    const hit = await queryOne<{ ok: boolean }>(
      tx,
      sql`select to_tsvector('english', ${subject.text}) @@ to_tsquery('english', ${tsquery}) as ok`,
    );
    if (hit?.ok) found.push({ id: r.id, role: r.role });
  }
  return found;
}

/** Both lists, each user once. */
const union = (a: Recipient[], b: Recipient[]) => [...new Map([...a, ...b].map((r) => [r.id, r])).values()];

async function userById(tx: Tx, id: string | null): Promise<Recipient[]> {
  if (!id) return [];
  return queryRows<Recipient>(tx, sql`select id, role from users where id = ${id} and active`);
}

/** Writes each recipient's notification of this entry, after checking they may read its record. */
async function deliver(
  tx: Tx,
  entry: Entry,
  recipients: Recipient[],
  draft: Draft,
  options: DispatchOptions,
) {
  let queued = 0;
  for (const user of recipients) {
    if (user.id === entry.actorId) continue; // nobody is told of their own change
    if (draft.guard && !(await canRead(tx, user, draft.guard))) continue;
    const settings = await loadSettings(tx, user.id);
    const wants = kindPreference(settings, draft.kind);
    const mail =
      options.mailEnabled && wants.email && settings.emailMode !== "off" && settings.email !== null;
    if (!wants.inApp && !mail) continue;
    const created = await queryOne<{ id: string }>(
      tx,
      sql`insert into notifications (user_id, kind, title, detail, link, entity, entity_id, audit_seq, in_app, email_pending, created_at)
        values (${user.id}, ${draft.kind}, ${draft.title}, ${draft.detail}, ${draft.link}, ${draft.entity},
          ${draft.entityId}, ${entry.seq}, ${wants.inApp}, ${mail}, ${entry.at}::timestamptz)
        on conflict do nothing returning id`,
    );
    if (created && mail && settings.emailMode === "immediate") {
      await tx.execute(
        sql`insert into jobs (kind, payload) values ('email', ${JSON.stringify({ userId: user.id })}::jsonb)`,
      );
      queued++;
    }
  }
  return queued;
}

async function notifyOf(tx: Tx, entry: Entry, options: DispatchOptions): Promise<number> {
  if (!entry.entityId) return 0;
  switch (entry.action) {
    case "EVENT_CREATED":
    case "EVENT_IMPORTED": {
      const event = await queryOne<{
        id: string;
        title: string;
        description: string | null;
        date: string;
        kind: string;
        matterId: string | null;
        jurisdictionId: string | null;
        matterJurisdictionId: string | null;
        matterSlug: string | null;
        matterTitle: string | null;
        stateCode: string | null;
      }>(
        tx,
        sql`select e.id, e.title, e.description, e.date, e.kind, e.matter_id as "matterId",
            e.jurisdiction_id as "jurisdictionId", m.jurisdiction_id as "matterJurisdictionId",
            m.slug as "matterSlug", m.title as "matterTitle", j.state_code as "stateCode"
          from events e left join matters m on m.id = e.matter_id
            left join jurisdictions j on j.id = coalesce(m.jurisdiction_id, e.jurisdiction_id)
          where e.id = ${entry.entityId}`,
      );
      if (!event) return 0;
      const text = [event.title, event.description, event.matterTitle].filter(Boolean).join(" ");
      const recipients = union(
        await watchers(tx, entry.atExact, {
          matterId: event.matterId,
          jurisdictionIds: [event.jurisdictionId, event.matterJurisdictionId],
          text,
        }),
        await savedSearchWatchers(tx, entry.atExact, {
          entity: "event",
          text,
          matterId: event.matterId,
          matterSlug: event.matterSlug,
          stateCode: event.stateCode,
          documentKind: null,
          date: event.date,
        }),
      );
      return deliver(
        tx,
        entry,
        recipients,
        {
          kind: "event_added",
          title: `New event: ${event.title}`,
          detail: [event.date, event.matterTitle].filter(Boolean).join(" · "),
          link: event.matterSlug ? `/matters/${event.matterSlug}/timeline` : "/events",
          entity: "event",
          entityId: event.id,
          guard: { table: "events", id: event.id },
        },
        options,
      );
    }
    case "DOCUMENT_ADDED": {
      const doc = await queryOne<{
        id: string;
        title: string | null;
        filename: string | null;
        matterId: string | null;
        jurisdictionId: string | null;
        matterTitle: string | null;
        matterSlug: string | null;
        stateCode: string | null;
        kind: string;
        date: string | null;
      }>(
        tx,
        sql`select d.id, d.title, d.filename, d.matter_id as "matterId", m.jurisdiction_id as "jurisdictionId",
            m.title as "matterTitle", m.slug as "matterSlug", j.state_code as "stateCode", d.kind, d.date
          from documents d left join matters m on m.id = d.matter_id left join jurisdictions j on j.id = m.jurisdiction_id
          where d.id = ${entry.entityId}`,
      );
      if (!doc) return 0;
      const name = doc.title ?? doc.filename ?? "Untitled document";
      const text = [name, doc.matterTitle].filter(Boolean).join(" ");
      const recipients = union(
        await watchers(tx, entry.atExact, {
          matterId: doc.matterId,
          jurisdictionIds: [doc.jurisdictionId],
          text,
        }),
        await savedSearchWatchers(tx, entry.atExact, {
          entity: "document",
          text,
          matterId: doc.matterId,
          matterSlug: doc.matterSlug,
          stateCode: doc.stateCode,
          documentKind: doc.kind,
          date: doc.date,
        }),
      );
      return deliver(
        tx,
        entry,
        recipients,
        {
          kind: "document_added",
          title: `New document: ${name}`,
          detail: doc.matterTitle,
          link: `/documents/${doc.id}`,
          entity: "document",
          entityId: doc.id,
          guard: { table: "documents", id: doc.id },
        },
        options,
      );
    }
    case "REVIEW_ASSIGNED":
    case "REVIEW_RETURNED":
    case "REVIEW_SUBMITTED": {
      const review = await queryOne<{
        id: string;
        assigneeId: string | null;
        assignee: string | null;
        matterId: string;
        matterTitle: string;
        cycleSlug: string;
        cycleName: string;
        returnComment: string | null;
      }>(
        tx,
        sql`select r.id, r.assignee_id as "assigneeId", u.username as assignee, r.matter_id as "matterId",
            m.title as "matterTitle", c.slug as "cycleSlug", c.name as "cycleName", r.return_comment as "returnComment"
          from reviews r join matters m on m.id = r.matter_id join review_cycles c on c.id = r.cycle_id
          left join users u on u.id = r.assignee_id where r.id = ${entry.entityId}`,
      );
      if (!review) return 0;
      const base = {
        link: `/reviews/${review.cycleSlug}/${review.id}`,
        entity: "review",
        entityId: review.id,
        guard: { table: "matters" as const, id: review.matterId },
      };
      if (entry.action === "REVIEW_ASSIGNED") {
        // Only while it is still theirs: an assignment since undone tells nobody.
        const assignedTo = (entry.after as { assignee?: string | null } | null)?.assignee ?? null;
        if (!assignedTo || assignedTo !== review.assignee) return 0;
        return deliver(
          tx,
          entry,
          await userById(tx, review.assigneeId),
          {
            ...base,
            kind: "review_assigned",
            title: `Review assigned to you: ${review.matterTitle}`,
            detail: review.cycleName,
          },
          options,
        );
      }
      if (entry.action === "REVIEW_RETURNED")
        return deliver(
          tx,
          entry,
          await userById(tx, review.assigneeId),
          {
            ...base,
            kind: "review_returned",
            title: `Review returned to you: ${review.matterTitle}`,
            detail: review.returnComment ? `${review.cycleName} · ${review.returnComment}` : review.cycleName,
          },
          options,
        );
      const approvers = await queryRows<Recipient>(
        tx,
        sql`select id, role from users where active and role = 'approver'`,
      );
      return deliver(
        tx,
        entry,
        approvers,
        {
          ...base,
          kind: "review_awaiting_approval",
          title: `Review awaiting approval: ${review.matterTitle}`,
          detail: `${review.cycleName} · submitted by ${entry.actor}`,
        },
        options,
      );
    }
    case "ASSESSMENTS_SAVED":
    case "ASSESSMENTS_IMPORTED":
    case "ASSESSMENTS_READ":
      return notifyOfLoweredRatings(tx, entry, options);
  }
  return 0;
}

interface StoredRating {
  provisionId: string;
  periodId: string;
  rater: string;
  level: string;
}

/**
 * A rating went down when a provision is rated lower than it was: than its earlier rating for the
 * same period (a correction) or, for a new rating, than the same rater's rating of the period
 * before. Levels compare by the matter's scale (unrated levels compare with nothing).
 */
async function notifyOfLoweredRatings(tx: Tx, entry: Entry, options: DispatchOptions): Promise<number> {
  const after = ((entry.after as { ratings?: StoredRating[] } | null)?.ratings ?? []).filter((r) => r.level);
  const before = (entry.before as { ratings?: StoredRating[] } | null)?.ratings ?? [];
  if (!after.length || !entry.entityId) return 0;
  const matter = await queryOne<{
    id: string;
    slug: string;
    title: string;
    jurisdictionId: string;
    levels: ComplianceLevel[] | null;
  }>(
    tx,
    sql`select m.id, m.slug, m.title, m.jurisdiction_id as "jurisdictionId", s.levels
      from matters m left join compliance_scales s on s.matter_id = m.id where m.id = ${entry.entityId}`,
  );
  if (!matter) return 0;
  const levels = new Map((matter.levels ?? DEFAULT_COMPLIANCE_LEVELS).map((l) => [l.code, l]));
  const rank = (code: string | undefined) => {
    const level = code ? levels.get(code) : undefined;
    return level?.rated ? level.normalized : null;
  };
  const periods = await queryRows<{ id: string; label: string }>(
    tx,
    sql`select p.id, p.label from reporting_periods p where p.matter_id = ${matter.id} order by ${periodsOldestFirst("p")}`,
  );
  const order = new Map(periods.map((p, i) => [p.id, i]));
  const lowered: { provisionId: string; from: string; to: string; period: string }[] = [];
  for (const r of after) {
    let prior = before.find(
      (b) => b.provisionId === r.provisionId && b.periodId === r.periodId && b.rater === r.rater,
    )?.level;
    if (prior === undefined) {
      const index = order.get(r.periodId);
      if (index === undefined || index === 0) continue;
      const earlier = await queryRows<{ level: string; periodId: string }>(
        tx,
        sql`select level, period_id as "periodId" from assessments where provision_id = ${r.provisionId} and rater = ${r.rater}`,
      );
      prior = earlier
        .filter((e) => (order.get(e.periodId) ?? Infinity) < index)
        .sort((a, b) => order.get(b.periodId)! - order.get(a.periodId)!)[0]?.level;
    }
    const from = rank(prior);
    const to = rank(r.level);
    if (from !== null && to !== null && to < from)
      lowered.push({
        provisionId: r.provisionId,
        from: levels.get(prior!)!.label,
        to: levels.get(r.level)!.label,
        period: periods.find((p) => p.id === r.periodId)?.label ?? "",
      });
  }
  if (!lowered.length) return 0;
  const labels = await queryRows<{ id: string; label: string }>(
    tx,
    sql`select id, label from provisions where id in (${sql.join(
      lowered.map((l) => sql`${l.provisionId}`),
      sql`, `,
    )})`,
  );
  const labelOf = new Map(labels.map((l) => [l.id, l.label]));
  const recipients = await watchers(tx, entry.atExact, {
    matterId: matter.id,
    jurisdictionIds: [matter.jurisdictionId],
    provisionIds: lowered.map((l) => l.provisionId),
  });
  const first = lowered[0]!;
  const single = lowered.length === 1;
  return deliver(
    tx,
    entry,
    recipients,
    {
      kind: "rating_lowered",
      title: single
        ? `Rating went down: ${labelOf.get(first.provisionId) ?? "a provision"} of ${matter.title}`
        : `${lowered.length} ratings went down: ${matter.title}`,
      detail:
        `${labelOf.get(first.provisionId) ?? ""} ${first.period}: ${first.from} → ${first.to}${single ? "" : ` (and ${lowered.length - 1} more)`}`.trim(),
      link: single ? `/provisions/${first.provisionId}` : `/matters/${matter.slug}/compliance`,
      entity: single ? "provision" : "matter",
      entityId: single ? first.provisionId : matter.id,
      guard: { table: "matters", id: matter.id },
    },
    options,
  );
}

// ---------------------------------------------------------------- webhooks

/**
 * Queues a signed delivery of the entry to every webhook subscribed to its kind when it happened:
 * a webhook registered after the change (while the cursor had not reached it yet) is not sent it.
 */
async function queueWebhookDeliveries(tx: Tx, entry: Entry): Promise<number> {
  const kind = WEBHOOK_KIND_OF[entry.action];
  if (!kind) return 0;
  const hooks = await queryRows<{ id: string }>(
    tx,
    sql`select id from webhooks where kinds @> ${JSON.stringify([kind])}::jsonb
          and created_at <= ${entry.atExact}::timestamptz`,
  );
  for (const hook of hooks) {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      kind,
      occurredAt: entry.at,
      actor: entry.actor,
      entity: entry.entity,
      entityId: entry.entityId,
      data: entry.after ?? entry.before ?? null,
    });
    const created = await queryOne(
      tx,
      sql`insert into webhook_deliveries (id, webhook_id, kind, audit_seq, body, next_attempt_at)
        values (${id}, ${hook.id}, ${kind}, ${entry.seq}, ${body}, now())
        on conflict do nothing returning id`,
    );
    if (created)
      await tx.execute(
        sql`insert into jobs (kind, payload) values ('webhook', ${JSON.stringify({ deliveryId: id })}::jsonb)`,
      );
  }
  return hooks.length;
}
