import { type DeadlineStatus, occurrenceKey } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { isoTime, queryRows } from "../../../db/sql.js";

/** The columns of an occurrence's status, with the titles of its documents as the reader may see them. */
export const STATUS_SELECT = sql`s.deadline_id as "deadlineId", s.due_on as "dueOn", s.state, s.met_on as "metOn",
  coalesce((select json_agg(jsonb_strip_nulls(jsonb_build_object('documentId', ev->>'documentId',
      'page', (ev->>'page')::int, 'title', d.title)) order by o)
    from jsonb_array_elements(s.evidence) with ordinality as x(ev, o)
    left join documents d on d.id = (ev->>'documentId')::uuid), '[]'::json) as evidence,
  s.extended_to as "extendedTo",
  case when s.extended_by is null then null else jsonb_build_object(
    'documentId', s.extended_by->>'documentId', 'eventId', s.extended_by->>'eventId',
    'title', coalesce((select d.title from documents d where d.id = (s.extended_by->>'documentId')::uuid),
                      (select e.title from events e where e.id = (s.extended_by->>'eventId')::uuid))) end as "extendedBy",
  case when u.id is null then null
    else json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name) end as assignee,
  s.assignee_office as office, s.note, s.version, ${isoTime("s.updated_at")} as "updatedAt"`;

export type StoredStatus = DeadlineStatus & { deadlineId: string; dueOn: string; updatedAt: string };

/** Drops the null ids of an order so the answer carries only the one it names. */
export function cleanStatus(row: StoredStatus): DeadlineStatus & { updatedAt: string } {
  const { deadlineId: _d, dueOn: _o, ...status } = row;
  if (status.extendedBy) {
    const { documentId, eventId, title } = status.extendedBy;
    status.extendedBy = { ...(documentId ? { documentId } : {}), ...(eventId ? { eventId } : {}), title };
  }
  return status;
}

/**
 * What became of the occurrences of these deadlines (only those someone acted on are stored),
 * by occurrenceKey.
 */
export async function readDeadlineStatuses(
  ctx: ReadContext,
  deadlineIds: readonly string[],
): Promise<Map<string, DeadlineStatus & { updatedAt: string }>> {
  if (!deadlineIds.length) return new Map();
  const rows = await queryRows<StoredStatus>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select ${STATUS_SELECT}
        from deadline_occurrence_states s left join users u on u.id = s.assignee_user_id
        where s.deadline_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify([...new Set(deadlineIds)])}::jsonb))`,
    ),
  );
  return new Map(rows.map((r) => [occurrenceKey(r.deadlineId, r.dueOn), cleanStatus(r)]));
}
