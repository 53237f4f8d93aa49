import {
  continuityWarnings,
  type DecreeParse,
  isParagraphOutline,
  outlineProvisions,
  type ParsedDecree,
  parseDecree,
  parseOutline,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped } from "../../../context/command-context.js";
import { decreeParses } from "../../../db/schema.js";
import { queryOne, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getDocument } from "../../documents/index.js";
import { getParse } from "../queries/parses.js";

/** Documents whose text is split into provisions. */
const PARSEABLE_KINDS = new Set(["decree", "agreement"]);

/**
 * What a person should check besides the parser's own warnings: numbers out of sequence, and
 * sections that differ from the decree's table of contents.
 */
export function parseWarnings(parsed: Pick<ParsedDecree, "provisions" | "sections" | "toc" | "warnings">) {
  const warnings = [...parsed.warnings];
  for (const w of continuityWarnings(parsed.provisions)) if (!warnings.includes(w)) warnings.push(w);
  if (parsed.toc.length) {
    const key = (s: { number: string; title: string }) => `${s.number}. ${s.title}`.toLowerCase();
    const toc = parsed.toc.map(key);
    const found = parsed.sections.map(key);
    const missing = toc.filter((t) => !found.includes(t));
    if (missing.length)
      warnings.push(
        `${missing.length} heading${missing.length === 1 ? "" : "s"} of the table of contents ${missing.length === 1 ? "was" : "were"} not found in the text, the first: “${parsed.toc[toc.indexOf(missing[0]!)]!.number}. ${parsed.toc[toc.indexOf(missing[0]!)]!.title}”`,
      );
  }
  return warnings;
}

export interface ParseDocumentOptions {
  documentId: string;
}

/**
 * Splits a decree's (or agreement's) extracted text into provisions and keeps the result as a
 * draft for a person to check. The parse runs here, in the request, not as a job: the 71-page
 * Fulton County decree parses in some 40 ms (120 ms with reading its pages and storing the draft).
 */
export async function parseDocument(
  { documentId }: ParseDocumentOptions,
  ctx: CommandContext,
): Promise<DecreeParse> {
  const doc = await getDocument(unscoped(ctx), documentId);
  if (!PARSEABLE_KINDS.has(doc.kind))
    throw appError(
      "not_a_decree",
      `Only a decree or an agreement is split into provisions; this document is of kind ${doc.kind} (change its kind if it is one)`,
    );
  if (!doc.matter)
    throw appError(
      "no_matter",
      "This document belongs to no matter: provisions are a matter's, so attach the decree to its matter first",
    );
  if (doc.status !== "ready")
    throw appError(
      "document_not_ready",
      doc.status === "failed"
        ? `The document's text could not be read (${doc.failure ?? "extraction failed"}): there is nothing to parse`
        : `The document's text is still being read (status: ${doc.status}): parse it once it is ready`,
    );
  const rows = await queryRows<{ page: number; text: string }>(
    ctx.db,
    sql`select page, text from document_pages where document_id = ${doc.id} order by page`,
  );
  const pages: string[] = Array.from({ length: doc.pageCount ?? rows.length }, () => "");
  for (const r of rows) pages[r.page - 1] = r.text;
  // A decree of "¶ N" paragraphs is read as it always was (its table of contents checked); any
  // other numbering style by the outline parser, each node cited by its label.
  const outline = parseOutline(pages);
  const parsed: Pick<ParsedDecree, "provisions" | "sections" | "toc" | "warnings"> = isParagraphOutline(
    outline,
  )
    ? parseDecree(pages)
    : { provisions: outlineProvisions(outline), sections: [], toc: [], warnings: outline.warnings };
  const warnings = parseWarnings(parsed);
  if (doc.scannedPages.length)
    warnings.push(
      `Pages ${doc.scannedPages.join(", ")} are scanned images without text: their paragraphs are missing`,
    );
  const matterId = doc.matter.id;
  const id = await ctx.db.transaction(async (tx) => {
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into ${decreeParses} (document_id, matter_id, provisions, sections, toc, warnings, created_by)
        values (${doc.id}, ${matterId}, ${JSON.stringify(parsed.provisions)}::jsonb,
          ${JSON.stringify(parsed.sections)}::jsonb, ${JSON.stringify(parsed.toc)}::jsonb,
          ${JSON.stringify(warnings)}::jsonb, ${ctx.actor}) returning id`,
    );
    await recordAudit(tx, ctx, {
      action: "DECREE_PARSED",
      entity: "decree_parse",
      entityId: row!.id,
      after: {
        documentId: doc.id,
        matterId,
        provisions: parsed.provisions.length,
        sections: parsed.sections.length,
        warnings,
      },
    });
    return row!.id;
  });
  // The route's policy allowed the write: the new draft is read whatever the caller's scope.
  return getParse(unscoped(ctx), id);
}
