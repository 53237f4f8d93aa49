import type { DocumentRecord } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope, type ReadScope } from "../../context/read-scope.js";
import { isoTime, isUuid, kept, list, queryOne, queryRows, toPrefixTsQuery } from "../../db/sql.js";
import { getMatter } from "../matters/index.js";

/**
 * A document as the API shows it. Under a narrowed scope `documents` and `matters` are the
 * scope's own (see read-scope.ts), so the same file elsewhere and the near-duplicate are named
 * only when the caller may read them.
 */
/**
 * The document columns; who uploaded it is not told to anonymous visitors. The near duplicate is
 * a subquery rather than two more left joins: a statement that reads one document cost more to
 * plan than to run.
 */
const documentSelect = (scope: ReadScope) => sql`
  select d.id,
    case when m.id is null then null else json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) end as matter,
    d.kind, d.title, d.date, d.source_url as "sourceUrl", d.filename, d.sha256, b.size::int as size, b.mime,
    d.status, d.failure, d.page_count as "pageCount", d.pages_done as "pagesDone", d.scanned_pages as "scannedPages",
    coalesce((select json_agg(json_build_object('id', o.id, 'title', o.title, 'matterSlug', om.slug) order by o.created_at, o.id)
        from documents o left join matters om on om.id = o.matter_id
        where o.sha256 = d.sha256 and o.id <> d.id), '[]'::json) as "sameFile",
    (select json_build_object('id', nd.id, 'title', nd.title, 'matterSlug', ndm.slug, 'similarity', d.similarity)
      from documents nd left join matters ndm on ndm.id = nd.matter_id where nd.id = d.near_duplicate_of)
      as "nearDuplicateOf",
    d.public, d.version, ${scope.kind === "public" ? sql`null::text` : sql`d.created_by`} as "createdBy",
    ${isoTime("d.created_at")} as "createdAt", ${isoTime("d.updated_at")} as "updatedAt"
  from documents d join blobs b on b.sha256 = d.sha256
    left join matters m on m.id = d.matter_id`;

const notFoundDocument = (id: string) => appError("not_found", `No document has the id "${id}"`);

/** A document the scope allows, or undefined. `lock` (whole registry only) locks its row. */
export async function findDocument(
  ctx: ReadContext,
  id: string,
  lock = false,
): Promise<DocumentRecord | undefined> {
  if (!isUuid(id)) return undefined;
  // Kept prepared on PostgreSQL (a generic plan): planning it cost 0.6 ms, running it 0.1.
  return queryOne<DocumentRecord>(
    ctx.db,
    kept(
      inScope(
        ctx.scope,
        sql`${documentSelect(ctx.scope)} where d.id = ${id}${lock ? sql` for update of d` : sql``}`,
      ),
    ),
  );
}

export async function getDocument(ctx: ReadContext, id: string, lock = false): Promise<DocumentRecord> {
  const d = await findDocument(ctx, id, lock);
  if (!d) throw notFoundDocument(id);
  return d;
}

/** The documents of those ids the scope allows, in the order of the ids. */
export async function getDocuments(ctx: ReadContext, ids: readonly string[]): Promise<DocumentRecord[]> {
  if (!ids.length) return [];
  const rows = await queryRows<DocumentRecord>(
    ctx.db,
    inScope(ctx.scope, sql`${documentSelect(ctx.scope)} where d.id in (${list(ids)})`),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((d): d is DocumentRecord => d !== undefined);
}

export interface DocumentListQuery {
  q?: string | undefined;
  matter?: string | undefined;
  departmentWide?: boolean | undefined;
  status?: string[] | undefined;
  kind?: string[] | undefined;
  limit: number;
  offset: number;
}

/** Documents the scope allows, newest date first (undated last), then as added. */
export async function findDocuments(ctx: ReadContext, q: DocumentListQuery) {
  const { db, scope } = ctx;
  const parts: SQL[] = [];
  // Title words as prefixes (stemmed, from the title's index), or the text as typed inside the title.
  const words = toPrefixTsQuery(q.q);
  if (words)
    parts.push(sql`(d.search_title @@ to_tsquery('english', ${words})
      or d.title ilike ${`%${q.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`);
  if (q.matter) parts.push(isUuid(q.matter) ? sql`d.matter_id = ${q.matter}` : sql`m.slug = ${q.matter}`);
  if (q.departmentWide === true) parts.push(sql`d.matter_id is null`);
  if (q.departmentWide === false) parts.push(sql`d.matter_id is not null`);
  if (q.status?.length) parts.push(sql`d.status in (${list(q.status)})`);
  if (q.kind?.length) parts.push(sql`d.kind in (${list(q.kind)})`);
  const where = parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``;
  const items = await queryRows<DocumentRecord>(
    db,
    inScope(
      scope,
      sql`${documentSelect(ctx.scope)}${where} order by d.date desc nulls last, d.created_at, d.id limit ${q.limit} offset ${q.offset}`,
    ),
  );
  const total =
    items.length < q.limit && (q.offset === 0 || items.length > 0)
      ? q.offset + items.length
      : ((
          await queryOne<{ n: number }>(
            db,
            inScope(
              scope,
              sql`select count(*)::int as n from documents d left join matters m on m.id = d.matter_id${where}`,
            ),
          )
        )?.n ?? 0);
  return { items, total, limit: q.limit, offset: q.offset };
}

/** The documents of a matter the caller may read (404 when the matter is outside the scope). */
export async function findMatterDocuments(ctx: ReadContext, matterKey: string) {
  const matter = await getMatter(ctx, matterKey);
  const items = await queryRows<DocumentRecord>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`${documentSelect(ctx.scope)} where d.matter_id = ${matter.id} order by d.date desc nulls last, d.created_at, d.id limit 1000`,
    ),
  );
  return { items };
}

/** One page's text. */
export async function getDocumentPage(ctx: ReadContext, id: string, page: number) {
  if (!isUuid(id)) throw notFoundDocument(id);
  const row = await queryOne<{ text: string | null; pageCount: number | null; status: string }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select p.text, d.page_count as "pageCount", d.status from documents d
        left join document_pages p on p.document_id = d.id and p.page = ${page}
        where d.id = ${id}`,
    ),
  );
  if (!row) throw notFoundDocument(id);
  if (row.text === null) {
    const why =
      row.pageCount === null
        ? `its text has not been read (status: ${row.status})`
        : `it has ${row.pageCount} page${row.pageCount === 1 ? "" : "s"}`;
    throw appError("page_not_found", `This document has no page ${page}: ${why}`);
  }
  return { documentId: id, page, pageCount: row.pageCount ?? page, text: row.text };
}

/** Where the file is, for the download route (scope-checked like every read). */
export async function getDocumentFile(ctx: ReadContext, id: string) {
  if (!isUuid(id)) throw notFoundDocument(id);
  const row = await queryOne<{ sha256: string; filename: string; mime: string; size: number }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select d.sha256, d.filename, b.mime, b.size::int as size from documents d join blobs b on b.sha256 = d.sha256 where d.id = ${id}`,
    ),
  );
  if (!row) throw notFoundDocument(id);
  return row;
}
