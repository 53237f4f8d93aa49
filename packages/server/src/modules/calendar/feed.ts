import {
  addSpan,
  buildIcs,
  type Calendar,
  type CalendarItem,
  type CalendarQuery,
  DEADLINE_STATE_LABELS,
  formatPartialDate,
  type IcsEvent,
  isScopedToAssignments,
  type Role,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { ALL, type ReadScope } from "../../context/read-scope.js";
import type { Db } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";
import { sha256 } from "../auth/index.js";
import { getCalendar } from "./queries.js";

/** How far a feed reaches: a year back and a year ahead (recurring duties expanded only in it). */
export function feedWindow(today: string): CalendarQuery {
  // Wider than one request of the calendar may ask for: a feed is read seldom, by a program.
  return { from: addSpan(today, { n: -1, unit: "year" }), to: addSpan(today, { n: 1, unit: "year" }) };
}

/** The owner of a calendar feed token (active, not revoked), with the scope they read; null otherwise. */
export async function resolveFeedToken(
  db: Db,
  token: string,
  now: Date,
): Promise<{ userId: string; scope: ReadScope; savedSearchId: string | null } | null> {
  const row = await queryOne<{
    id: string;
    userId: string;
    role: Role;
    lastUsedAt: string | null;
    savedSearchId: string | null;
  }>(
    db,
    sql`select t.id, u.id as "userId", u.role, t.last_used_at::text as "lastUsedAt",
          t.saved_search_id as "savedSearchId"
        from calendar_feed_tokens t join users u on u.id = t.user_id
        where t.token_hash = ${sha256(token)} and t.revoked_at is null and u.active`,
  );
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > 60_000)
    await db.execute(
      sql`update calendar_feed_tokens set last_used_at = ${now.toISOString()} where id = ${row.id}`,
    );
  return {
    userId: row.userId,
    savedSearchId: row.savedSearchId,
    scope: isScopedToAssignments({ role: row.role }) ? { kind: "assigned", userId: row.userId } : ALL,
  };
}

function eventEntry(item: CalendarItem, origin: string, stamp: string): IcsEvent {
  const e = item.event!;
  const moves = e.history
    .filter((h) => h.date)
    .map((h) => `${formatPartialDate(h.newDate ?? h.date!)}${h.status ? ` (${h.status})` : ""}`);
  const lines = [
    item.matter?.title,
    e.status === "postponed" ? `Postponed from ${formatPartialDate(e.date)}` : null,
    moves.length ? `Earlier dates: ${moves.join("; ")}` : null,
    item.timeZone ? null : item.time ? "Time as the court gives it (time zone not known)" : null,
    e.description,
  ].filter(Boolean);
  return {
    uid: item.uid,
    // Every edit of the event raises its version: a moved or cancelled hearing replaces the entry.
    sequence: e.version - 1,
    changedAt: e.updatedAt || stamp,
    date: item.date,
    time: item.time,
    timeZone: item.timeZone,
    summary: `${e.status === "cancelled" ? "Cancelled: " : e.status === "postponed" && !e.newDate ? "Postponed: " : ""}${item.title}`,
    description: lines.join("\n"),
    url: item.matter ? `${origin}/matters/${item.matter.slug}/timeline` : null,
    status:
      e.status === "cancelled"
        ? "CANCELLED"
        : e.status === "postponed" && !e.newDate
          ? "TENTATIVE"
          : "CONFIRMED",
    categories: [item.kind === "hearing" ? "Hearing" : "Court event"],
  };
}

function deadlineEntry(item: CalendarItem, origin: string, stamp: string): IcsEvent {
  const d = item.deadline!;
  const s = d.status;
  const lines = [
    d.matter.title,
    d.duty ?? `“${d.phrase}”`,
    item.state === "overdue" ? "Overdue" : DEADLINE_STATE_LABELS[s.state],
    s.metOn ? `Met on ${formatPartialDate(s.metOn)}` : null,
    s.extendedTo && d.dueOn
      ? `Extended from ${formatPartialDate(d.dueOn)}${s.extendedBy?.title ? ` by ${s.extendedBy.title}` : ""}`
      : null,
    s.assignee ? `Assigned to ${s.assignee.displayName ?? s.assignee.username}` : null,
    s.office ? `Office: ${s.office}` : null,
    s.note,
  ].filter(Boolean);
  const updatedAt = (s as { updatedAt?: string }).updatedAt;
  return {
    uid: item.uid,
    sequence: s.version,
    changedAt: updatedAt ?? stamp,
    date: item.date,
    time: null,
    timeZone: null,
    summary: `${s.state === "met" ? "Met: " : s.state === "waived" ? "Waived: " : "Due: "}${d.provision.label} ${d.phrase} (${d.matter.title})`,
    description: lines.join("\n"),
    url: `${origin}/matters/${d.matter.slug}/provisions/${d.provision.number ?? encodeURIComponent(d.provision.label)}`,
    status: s.state === "waived" ? "CANCELLED" : "CONFIRMED",
    categories: ["Deadline"],
  };
}

/** The calendar as an iCalendar feed. */
export function calendarIcs(name: string, calendar: Calendar, origin: string, now: Date): string {
  const stamp = now.toISOString();
  return buildIcs({
    name,
    events: calendar.items.map((item) =>
      item.kind === "deadline" ? deadlineEntry(item, origin, stamp) : eventEntry(item, origin, stamp),
    ),
  });
}

/** The feed of one reader's calendar (or one matter's), over the feed window. */
export async function feedOf(
  ctx: ReadContext,
  options: {
    userId: string | null;
    /** Matters: ids or slugs. */
    matter?: string[];
    mine?: boolean;
    kind?: CalendarItem["kind"][];
    state?: CalendarQuery["state"];
  },
) {
  const today = ctx.now().toISOString().slice(0, 10);
  const q = {
    ...feedWindow(today),
    ...(options.matter?.length ? { matter: options.matter } : {}),
    ...(options.mine ? { mine: true } : {}),
    ...(options.kind?.length ? { kind: options.kind } : {}),
    ...(options.state?.length ? { state: options.state } : {}),
  };
  return getCalendar(ctx, q, { userId: options.userId });
}
