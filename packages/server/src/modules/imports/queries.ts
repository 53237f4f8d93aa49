import { can, type ImportList, type ImportListQuery, type ImportRecord, type Role } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { scopeTables } from "../../context/read-scope.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";

/** Who reads the import records: the user, their role and what they may read of matters. */
export interface ImportReader extends ReadContext {
  userId: string;
  role: Role;
}

/**
 * The records a reader may see, as a CTE named `visible`: their own imports; statistics imports
 * for those who may import statistics (registry:write); assessments imports for those who may
 * rate (compliance:rate) on a matter they may read (a monitor: those assigned to them).
 */
function visible(reader: ImportReader): SQL {
  const stats = can({ role: reader.role }, "registry:write");
  const rate = can({ role: reader.role }, "compliance:rate");
  return sql`${scopeTables(reader.scope)} visible as (
    select i.* from imports i where i.actor_id = ${reader.userId}
      ${stats ? sql`or i.kind = 'statistics'` : sql``}
      ${rate ? sql`or (i.kind = 'assessments' and i.matter_id in (select id from matters))` : sql``})`;
}

const SELECT = sql`select i.id, i.kind, i.status, u.username as actor, i.matter_id as "matterId",
    i.file_sha256 as "fileSha256", i.file_bytes as "fileBytes", i.row_count as "rowCount",
    i.rows_written as "rowsWritten", i.error_report as "errorReport", i.idempotency_key as "idempotencyKey",
    ${isoTime("i.started_at")} as "startedAt", ${isoTime("i.finished_at")} as "finishedAt"
  from visible i left join users u on u.id = i.actor_id`;

/** The import records the reader may see, newest first, by kind and status. */
export async function findImports(reader: ImportReader, query: ImportListQuery): Promise<ImportList> {
  const where = sql.join(
    [
      sql`true`,
      ...(query.kind ? [sql`i.kind = ${query.kind}`] : []),
      ...(query.status ? [sql`i.status = ${query.status}`] : []),
    ],
    sql` and `,
  );
  const items = await queryRows<ImportRecord>(
    reader.db,
    sql`with ${visible(reader)} ${SELECT} where ${where}
      order by i.started_at desc, i.id desc limit ${query.limit} offset ${query.offset}`,
  );
  const total = await queryOne<{ n: number }>(
    reader.db,
    sql`with ${visible(reader)} select count(*)::int as n from visible i where ${where}`,
  );
  return { items, total: total?.n ?? 0, limit: query.limit, offset: query.offset };
}

/** One import record; one the reader may not see answers 404 as one that does not exist. */
export async function getImport(reader: ImportReader, id: string): Promise<ImportRecord> {
  const row = await queryOne<ImportRecord>(
    reader.db,
    sql`with ${visible(reader)} ${SELECT} where i.id = ${id}`,
  );
  if (!row) throw appError("not_found", "No import you may read has this id");
  return row;
}
