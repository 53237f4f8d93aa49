import {
  type AcceptCounts,
  type CurrentProvision,
  type DecreeParse,
  type DecreeParseListItem,
  findExhibits,
  matchProvisions,
  type ParsedProvision,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import type { Queryable } from "../../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../../db/sql.js";
import { getMatterRef } from "./matter-ref.js";

interface ParseRow extends Omit<DecreeParse, "preview" | "exhibits"> {
  matterId: string;
}

const PARSE_SELECT = sql`select x.id, json_build_object('id', d.id, 'title', d.title, 'kind', d.kind) as document,
    json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter, x.matter_id as "matterId",
    x.status, x.provisions, x.sections, x.toc, x.warnings, x.version, x.created_by as "createdBy",
    ${isoTime("x.created_at")} as "createdAt", ${isoTime("x.accepted_at")} as "acceptedAt"
  from decree_parses x join documents d on d.id = x.document_id join matters m on m.id = x.matter_id`;

const notFoundParse = (id: string) => appError("not_found", `No parse has the id "${id}"`);

/** A parse the caller's scope allows (`lock`: locks its row). */
export async function getParseRow(ctx: ReadContext, id: string, lock = false) {
  if (!isUuid(id)) throw notFoundParse(id);
  const row = await queryOne<ParseRow>(
    ctx.db,
    inScope(ctx.scope, sql`${PARSE_SELECT} where x.id = ${id}${lock ? sql` for update of x` : sql``}`),
  );
  if (!row) throw notFoundParse(id);
  return row;
}

/** The matter's current provisions, as matched against a parse. */
export function currentProvisions(db: Queryable, matterId: string, lock = false) {
  return queryRows<CurrentProvision>(
    db,
    sql`select id, label, position, text from provisions where matter_id = ${matterId} and retired_at is null
      order by position${lock ? sql` for update` : sql``}`,
  );
}

/** The matter's retired provisions, the most recently retired first: their texts may come back. */
export function retiredProvisions(db: Queryable, matterId: string, lock = false) {
  return queryRows<CurrentProvision>(
    db,
    sql`select id, label, position, text from provisions where matter_id = ${matterId} and retired_at is not null
      order by retired_at desc, position${lock ? sql` for update` : sql``}`,
  );
}

/** What accepting these provisions would do to the matter's current ones. */
export async function previewAccept(
  db: Queryable,
  matterId: string,
  provisions: readonly ParsedProvision[],
): Promise<AcceptCounts> {
  const match = matchProvisions(
    await currentProvisions(db, matterId),
    provisions,
    await retiredProvisions(db, matterId),
  );
  return {
    kept: match.kept.length,
    renumbered: match.renumbered.length,
    restored: match.restored.length,
    changed: match.changed.length,
    added: match.added.length,
    retired: match.retired.length,
  };
}

/**
 * The exhibits and attachments after the body of a document's text, as the outline parser
 * recognises them. Read again from the pages (some 45 ms for 160 pages): a draft keeps no
 * column for them, and the text they come from does not change.
 */
async function documentExhibits(db: Queryable, documentId: string) {
  const rows = await queryRows<{ page: number; text: string }>(
    db,
    sql`select page, text from document_pages where document_id = ${documentId} order by page`,
  );
  const pages: string[] = Array.from({ length: rows.at(-1)?.page ?? 0 }, () => "");
  for (const r of rows) pages[r.page - 1] = r.text;
  return findExhibits(pages);
}

/** A parse the caller's scope allows, with what accepting it would do while it is a draft. */
export async function getParse(ctx: ReadContext, id: string): Promise<DecreeParse> {
  const { matterId, ...row } = await getParseRow(ctx, id);
  const preview =
    row.status === "draft"
      ? await previewAccept(ctx.db, matterId, row.provisions as ParsedProvision[])
      : null;
  return { ...row, exhibits: await documentExhibits(ctx.db, row.document.id), preview };
}

/** The parses of a matter's documents, newest first (without their provisions). */
export async function listMatterParses(ctx: ReadContext, matterKey: string) {
  const matter = await getMatterRef(ctx, matterKey);
  const items = await queryRows<DecreeParseListItem>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select x.id, json_build_object('id', d.id, 'title', d.title, 'kind', d.kind) as document,
          json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter,
          x.status, x.warnings, jsonb_array_length(x.provisions)::int as "provisionCount", x.version,
          x.created_by as "createdBy", ${isoTime("x.created_at")} as "createdAt", ${isoTime("x.accepted_at")} as "acceptedAt"
        from decree_parses x join documents d on d.id = x.document_id join matters m on m.id = x.matter_id
        where x.matter_id = ${matter.id} order by x.created_at desc, x.id limit 100`,
    ),
  );
  return { items };
}
