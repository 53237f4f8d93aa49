import {
  type Calendar,
  type CalendarItem,
  type CalendarKind,
  type CalendarQuery,
  type CalendarSeries,
  type CalendarState,
  courtTimeZone,
  type DeadlineOccurrence,
  deadlineOccurrences,
  type EventStatus,
  OVERDUE_DEFINITION,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { isoTime, queryRows } from "../../db/sql.js";
import { readDeadlineStatuses, readDeadlines } from "../provisions/index.js";

const FULL_DAY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

interface EventRow {
  id: string;
  slug: string;
  kind: string;
  date: string;
  time: string | null;
  status: EventStatus | null;
  newDate: string | null;
  title: string;
  description: string | null;
  version: number;
  updatedAt: string;
  matter: { id: string; slug: string; title: string } | null;
  stateCode: string | null;
}

/** The day an event is on now: a postponed hearing's new day when it has one. */
const dayOf = (e: Pick<EventRow, "date" | "status" | "newDate">) =>
  e.status === "postponed" && e.newDate ? e.newDate : e.date;

const isFullDay = (d: string | null): d is string => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d);

/** Each earlier date and status of these events, from their audit entries, oldest first. */
async function historiesOf(ctx: ReadContext, ids: readonly string[]) {
  const out = new Map<string, NonNullable<CalendarItem["event"]>["history"]>();
  if (!ids.length) return out;
  const rows = await queryRows<{
    entityId: string;
    at: string;
    date: string | null;
    newDate: string | null;
    status: string | null;
  }>(
    ctx.db,
    sql`select a.entity_id as "entityId", ${isoTime("a.at")} as at, a.before->>'date' as date,
          a.before->>'newDate' as "newDate", a.before->>'status' as status
        from audit_entries a
        where a.entity = 'event' and a.action = 'EVENT_UPDATED'
          and a.entity_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
          and (a.before->>'date' is distinct from a.after->>'date'
            or a.before->>'newDate' is distinct from a.after->>'newDate'
            or a.before->>'status' is distinct from a.after->>'status')
        order by a.at, a.id`,
  );
  for (const r of rows) {
    const list = out.get(r.entityId) ?? [];
    list.push({ at: r.at, date: r.date, newDate: r.newDate, status: r.status });
    out.set(r.entityId, list);
  }
  return out;
}

/** The ids of matters named by slug or id, among those the caller may read. */
async function matterIdsOf(ctx: ReadContext, keys: readonly string[]): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select id from matters where slug in (select value from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))
          or id::text in (select value from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`,
    ),
  );
  return rows.map((r) => r.id);
}

const inList = (column: SQL, ids: readonly string[]) =>
  sql`${column} in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

export interface CalendarOptions {
  /** Who "mine" is (null: nobody, so `mine` matches nothing). */
  userId: string | null;
}

/**
 * The calendar of the matters in the caller's view between two days: hearings (a postponed one
 * on its new day, with its history), other dated events, and deadline occurrences (recurring
 * duties expanded within the window only), filtered by matter, state, kind and "mine".
 */
export async function getCalendar(
  ctx: ReadContext,
  q: CalendarQuery,
  options: CalendarOptions,
): Promise<Calendar> {
  const today = ctx.now().toISOString().slice(0, 10);
  const kinds = new Set<CalendarKind>(q.kind?.length ? q.kind : ["hearing", "event", "deadline"]);
  const states = q.state?.length ? new Set<CalendarState>(q.state) : null;
  const matterIds = q.matter?.length ? await matterIdsOf(ctx, q.matter) : null;
  if (matterIds && !matterIds.length)
    return { from: q.from, to: q.to, items: [], series: [], overdueDefinition: OVERDUE_DEFINITION };
  let mineMatters: Set<string> | null = null;
  if (q.mine) {
    const rows = options.userId
      ? await queryRows<{ matterId: string }>(
          ctx.db,
          sql`select matter_id as "matterId" from matter_assignments where user_id = ${options.userId}`,
        )
      : [];
    mineMatters = new Set(rows.map((r) => r.matterId));
  }
  const items: CalendarItem[] = [];

  if (kinds.has("hearing") || kinds.has("event")) {
    const matterCond = matterIds ? sql` and ${inList(sql`e.matter_id`, matterIds)}` : sql``;
    const kindCond =
      kinds.has("hearing") && kinds.has("event")
        ? sql``
        : kinds.has("hearing")
          ? sql` and e.kind = 'hearing'`
          : sql` and e.kind <> 'hearing'`;
    const rows = await queryRows<EventRow>(
      ctx.db,
      inScope(
        ctx.scope,
        sql`select e.id, e.slug, e.kind, e.date, e.time, e.status, e.new_date as "newDate", e.title, e.description,
              e.version, ${isoTime("e.updated_at")} as "updatedAt",
              case when m.id is null then null else json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) end as matter,
              j.state_code as "stateCode"
            from events e left join matters m on m.id = e.matter_id
              left join jurisdictions j on j.id = coalesce(m.jurisdiction_id, e.jurisdiction_id)
            where ((e.date between ${q.from} and ${q.to} and e.date ~ ${FULL_DAY})
                or (e.new_date between ${q.from} and ${q.to} and e.new_date ~ ${FULL_DAY}))${matterCond}${kindCond}
            order by e.date, e.time nulls first, e.slug
            limit 5000`,
      ),
    );
    const shown = rows.filter((e) => {
      const day = dayOf(e);
      if (!isFullDay(day) || day < q.from || day > q.to) return false;
      if (mineMatters && !(e.matter && mineMatters.has(e.matter.id))) return false;
      return true;
    });
    const histories = await historiesOf(
      ctx,
      shown.filter((e) => e.kind === "hearing").map((e) => e.id),
    );
    for (const e of shown) {
      const day = dayOf(e);
      const state: CalendarState = e.status ?? (day < today ? "held" : "scheduled");
      if (states && !states.has(state)) continue;
      items.push({
        uid: `event-${e.id}@accord`,
        kind: e.kind === "hearing" ? "hearing" : "event",
        date: day,
        time: e.time,
        timeZone: courtTimeZone(e.stateCode),
        title: e.title,
        state,
        matter: e.matter,
        event: {
          id: e.id,
          slug: e.slug,
          kind: e.kind,
          date: e.date,
          time: e.time,
          status: e.status,
          newDate: e.newDate,
          description: e.description,
          version: e.version,
          updatedAt: e.updatedAt,
          history: histories.get(e.id) ?? [],
        },
        deadline: null,
      });
    }
  }

  const series = new Map<string, CalendarSeries>();
  if (kinds.has("deadline")) {
    const rows = await readDeadlines(ctx, matterIds ? inList(sql`p.matter_id`, matterIds) : sql`true`);
    const zones = await zonesOf(
      ctx,
      rows.map((r) => r.matter.id),
    );
    const occurrences = deadlineOccurrences(
      rows,
      { from: q.from, to: q.to },
      today,
      false,
      await readDeadlineStatuses(
        ctx,
        rows.map((r) => r.id),
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const o of occurrences) {
      if (!o.date || o.date > q.to) continue;
      if (
        mineMatters &&
        !(mineMatters.has(o.matter.id) || (options.userId && o.status.assignee?.id === options.userId))
      )
        continue;
      const state: CalendarState = o.overdue ? "overdue" : o.status.state;
      if (states && !states.has(state)) continue;
      items.push(deadlineItem(o, state, zones.get(o.matter.id) ?? null));
      const row = byId.get(o.deadlineId);
      if (row?.recurrence) {
        const s = series.get(o.deadlineId) ?? {
          deadlineId: o.deadlineId,
          phrase: o.phrase,
          duty: o.duty,
          every: row.recurrence,
          matter: o.matter,
          provision: { id: o.provision.id, number: o.provision.number, label: o.provision.label },
          inWindow: 0,
          next: null,
        };
        s.inWindow++;
        if (!s.next && o.date >= today) s.next = o.date;
        series.set(o.deadlineId, s);
      }
    }
  }
  items.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      (a.time ?? "").localeCompare(b.time ?? "") ||
      a.title.localeCompare(b.title) ||
      a.uid.localeCompare(b.uid),
  );
  return {
    from: q.from,
    to: q.to,
    items,
    series: [...series.values()].sort(
      (a, b) =>
        a.matter.title.localeCompare(b.matter.title) ||
        a.provision.label.localeCompare(b.provision.label, "en", { numeric: true }),
    ),
    overdueDefinition: OVERDUE_DEFINITION,
  };
}

/** Each matter's court time zone, from its jurisdiction's state. */
async function zonesOf(ctx: ReadContext, matterIds: readonly string[]) {
  const ids = [...new Set(matterIds)];
  if (!ids.length) return new Map<string, string | null>();
  const rows = await queryRows<{ id: string; stateCode: string }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select m.id, j.state_code as "stateCode" from matters m join jurisdictions j on j.id = m.jurisdiction_id
          where ${inList(sql`m.id`, ids)}`,
    ),
  );
  return new Map(rows.map((r) => [r.id, courtTimeZone(r.stateCode)]));
}

function deadlineItem(o: DeadlineOccurrence, state: CalendarState, timeZone: string | null): CalendarItem {
  return {
    // The occurrence's identity: its deadline and the day the decree makes it due (an extension
    // moves the entry, not its UID).
    uid: `deadline-${o.deadlineId}-${o.dueOn}@accord`,
    kind: "deadline",
    date: o.date!,
    time: null,
    timeZone,
    title: `${o.provision.label}: ${o.phrase}`,
    state,
    matter: o.matter,
    event: null,
    deadline: o,
  };
}
