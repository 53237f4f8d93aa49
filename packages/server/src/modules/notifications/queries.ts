import {
  AUDIT_ACTION_LABELS,
  type Change,
  isAuditAction,
  NOTIFICATION_KINDS,
  type Notification,
  type NotificationKind,
  type NotificationPreferences,
  type SavedCalendarFilter,
  type SavedSearchFilters,
  type SavedSearchKind,
  type SinceLastVisit,
  savedSearchLink,
  type Watch,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { CommandContext, ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";

const WATCH_SELECT = sql`select w.id, w.target,
    coalesce(w.matter_id, w.jurisdiction_id, w.provision_id, w.saved_search_id)::text as "targetId",
    coalesce(m.slug, j.slug) as "targetSlug",
    coalesce(m.title, j.name, p.label || coalesce(' · ' || pm.title, ''), s.name, w.keywords, '') as label,
    coalesce(w.keywords, s.query->>'q') as keywords,
    case w.target when 'matter' then '/matters/' || m.slug when 'jurisdiction' then '/jurisdictions/' || j.slug
      when 'provision' then '/provisions/' || p.id end as link,
    s.kind as "savedKind", s.query as "savedQuery",
    ${isoTime("w.created_at")} as "createdAt"
  from watches w
  left join matters m on m.id = w.matter_id
  left join jurisdictions j on j.id = w.jurisdiction_id
  left join provisions p on p.id = w.provision_id
  left join matters pm on pm.id = p.matter_id
  left join saved_searches s on s.id = w.saved_search_id`;

type WatchRow = Watch & {
  savedKind: SavedSearchKind | null;
  savedQuery: SavedSearchFilters | SavedCalendarFilter | null;
};

/** A saved search's watch links to the search it runs. */
const presentWatch = ({ savedKind, savedQuery, ...watch }: WatchRow): Watch =>
  savedKind && savedQuery ? { ...watch, link: savedSearchLink(savedKind, savedQuery) } : watch;

/** The caller's watches, newest first. */
export async function listWatches(ctx: CommandContext, userId: string): Promise<Watch[]> {
  const rows = await queryRows<WatchRow>(
    ctx.db,
    sql`${WATCH_SELECT} where w.user_id = ${userId} order by w.created_at desc, w.id`,
  );
  return rows.map(presentWatch);
}

export async function getWatch(ctx: ReadContext, id: string): Promise<Watch | undefined> {
  const row = await queryOne<WatchRow>(ctx.db, sql`${WATCH_SELECT} where w.id = ${id}`);
  return row && presentWatch(row);
}

const NOTIFICATION_COLUMNS = sql`n.id, n.kind, n.title, n.detail, n.link, n.entity, n.entity_id as "entityId",
  ${isoTime("n.created_at")} as "createdAt", ${isoTime("n.read_at")} as "readAt"`;

/** The caller's inbox, newest first, with how many there are and how many are unread. */
export async function listNotifications(
  ctx: ReadContext,
  userId: string,
  query: { unread: boolean; limit: number; offset: number },
): Promise<{ items: Notification[]; total: number; unread: number }> {
  const where = sql`n.user_id = ${userId} and n.in_app${query.unread ? sql` and n.read_at is null` : sql``}`;
  const items = await queryRows<Notification>(
    ctx.db,
    sql`select ${NOTIFICATION_COLUMNS} from notifications n where ${where}
      order by n.created_at desc, n.id limit ${query.limit} offset ${query.offset}`,
  );
  const counts = await queryOne<{ total: number; unread: number }>(
    ctx.db,
    sql`select count(*) filter (where ${query.unread ? sql`n.read_at is null` : sql`true`})::int as total,
        count(*) filter (where n.read_at is null)::int as unread
      from notifications n where n.user_id = ${userId} and n.in_app`,
  );
  return { items, total: counts?.total ?? 0, unread: counts?.unread ?? 0 };
}

export async function getNotification(ctx: ReadContext, userId: string, id: string) {
  return queryOne<Notification>(
    ctx.db,
    sql`select ${NOTIFICATION_COLUMNS} from notifications n where n.id = ${id} and n.user_id = ${userId} and n.in_app`,
  );
}

export interface StoredSettings {
  email: string | null;
  emailMode: "off" | "immediate" | "daily";
  kinds: Record<string, { inApp: boolean; email: boolean }>;
  lastVisitAt: string | null;
}

/** A user's stored choices, or the defaults (no e-mail; every kind in the inbox). */
export async function loadSettings(db: Queryable, userId: string): Promise<StoredSettings> {
  const row = await queryOne<StoredSettings>(
    db,
    sql`select email, email_mode as "emailMode", kinds, ${isoTime("last_visit_at")} as "lastVisitAt"
      from notification_settings where user_id = ${userId}`,
  );
  return row ?? { email: null, emailMode: "off", kinds: {}, lastVisitAt: null };
}

/** Whether the user wants this kind in the inbox and by e-mail (a kind not chosen: both). */
export const kindPreference = (settings: Pick<StoredSettings, "kinds">, kind: NotificationKind) =>
  settings.kinds[kind] ?? { inApp: true, email: true };

export function presentPreferences(
  settings: StoredSettings,
  emailAvailable: boolean,
): NotificationPreferences {
  return {
    email: settings.email,
    emailMode: settings.emailMode,
    kinds: Object.fromEntries(
      NOTIFICATION_KINDS.map((k) => [k, kindPreference(settings, k)]),
    ) as NotificationPreferences["kinds"],
    emailAvailable,
  };
}

/** The most changes the dashboard lists at once. */
const CHANGES_SHOWN = 50;

/**
 * What others changed since the caller last marked the dashboard as seen (before that: since the
 * account was made, a week at most): matters, events and documents the caller may read, from the audit log. Records since
 * deleted are left out (their deletion entry names nothing the caller could open).
 */
export async function findChangesSince(ctx: ReadContext, userId: string): Promise<SinceLastVisit> {
  const settings = await loadSettings(ctx.db, userId);
  const user = await queryOne<{ createdAt: string }>(
    ctx.db,
    sql`select ${isoTime("created_at")} as "createdAt" from users where id = ${userId}`,
  );
  const weekAgo = new Date(ctx.now().getTime() - 7 * 86_400_000).toISOString();
  // Before a first "mark as seen": what changed since the account was made, a week at most.
  const since = settings.lastVisitAt ?? (user && user.createdAt > weekAgo ? user.createdAt : weekAgo);
  const entries = sql`from audit_entries a
      left join matters m on a.entity = 'matter' and m.id = a.entity_id
      left join events e on a.entity = 'event' and e.id = a.entity_id
      left join documents d on a.entity = 'document' and d.id = a.entity_id
      left join matters em on em.id = e.matter_id
      where a.at > ${since}::timestamptz and a.entity in ('matter', 'event', 'document')
        and (a.actor_id is null or a.actor_id <> ${userId})
        and coalesce(m.id, e.id, d.id) is not null`;
  const rows = await queryRows<Omit<Change, "label"> & { total: number }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select a.id::int as id, ${isoTime("a.at")} as at, a.actor, a.action, a.entity, a.entity_id as "entityId",
          coalesce(m.title, e.title, d.title) as title,
          case a.entity when 'matter' then '/matters/' || m.slug
            when 'event' then coalesce('/matters/' || em.slug || '/timeline', '/events')
            when 'document' then '/documents/' || d.id end as link,
          count(*) over ()::int as total
        ${entries} order by a.chain_seq desc limit ${CHANGES_SHOWN}`,
    ),
  );
  return {
    since,
    marked: settings.lastVisitAt !== null,
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _, ...r }) => ({
      ...r,
      label: isAuditAction(r.action) ? AUDIT_ACTION_LABELS[r.action] : r.action,
    })),
  };
}
