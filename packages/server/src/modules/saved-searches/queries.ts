import {
  type SavedCalendarFilter,
  type SavedSearch,
  type SavedSearchFilters,
  type SavedSearchKind,
  savedSearchLink,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { Queryable } from "../../db/open.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";

interface Row {
  id: string;
  kind: SavedSearchKind;
  name: string;
  query: SavedSearchFilters | SavedCalendarFilter;
  watchId: string | null;
  feeds: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const SELECT = sql`select s.id, s.kind, s.name, s.query, s.version,
    ${isoTime("s.created_at")} as "createdAt", ${isoTime("s.updated_at")} as "updatedAt",
    (select w.id from watches w where w.saved_search_id = s.id and w.user_id = s.user_id) as "watchId",
    (select count(*)::int from calendar_feed_tokens t where t.saved_search_id = s.id and t.revoked_at is null) as feeds
  from saved_searches s`;

const present = (row: Row): SavedSearch => ({ ...row, link: savedSearchLink(row.kind, row.query) });

/** The user's saved searches and filters, by name. Nobody reads another's. */
export async function listSavedSearches(
  db: Queryable,
  userId: string,
  kind?: SavedSearchKind,
): Promise<SavedSearch[]> {
  const rows = await queryRows<Row>(
    db,
    sql`${SELECT} where s.user_id = ${userId} ${kind ? sql`and s.kind = ${kind}` : sql``}
      order by lower(s.name), s.created_at, s.id`,
  );
  return rows.map(present);
}

/** One of the user's saved searches; another's, or none, answers 404 alike. */
export async function getSavedSearch(
  db: Queryable,
  userId: string,
  id: string,
  forUpdate = false,
): Promise<SavedSearch> {
  const row = await queryOne<Row>(
    db,
    sql`${SELECT} where s.id = ${id} and s.user_id = ${userId}${forUpdate ? sql` for update of s` : sql``}`,
  );
  if (!row) throw appError("not_found", "You have no saved search with this id");
  return present(row);
}
