import {
  applyParseEdit,
  type DecreeParse,
  type ParsedDecree,
  type ParsedProvision,
  type ParseEdit,
  ParseEditError,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { getParse, getParseRow } from "../queries/parses.js";
import { parseWarnings } from "./parse-document.js";

/** The numbers of the provisions an edit touches, before it and after it: what the audit entry keeps. */
function touchedNumbers(edit: ParseEdit): { before: number[]; after: number[] } {
  switch (edit.op) {
    case "split":
      return { before: [edit.number], after: [edit.number, edit.number + 1] };
    case "merge":
      return { before: [edit.number - 1, edit.number], after: [edit.number - 1] };
    case "renumber":
      return { before: [edit.from], after: [edit.to] };
    case "edit":
      return { before: [edit.number], after: [edit.number] };
  }
}

const pick = (provisions: readonly ParsedProvision[], numbers: number[]) =>
  provisions.filter((p) => numbers.includes(p.number)).map((p) => ({ number: p.number, text: p.text }));

export interface EditParseOptions {
  id: string;
  /** The parse's version the caller read (If-Match). */
  version: number;
  edit: ParseEdit;
}

/** Applies one correction to a draft parse (split, merge, renumber, edit) and re-checks it. */
export async function editParse(
  { id, version, edit }: EditParseOptions,
  ctx: CommandContext,
): Promise<DecreeParse> {
  // The route's policy allowed the write: the parse is read whatever the caller's scope.
  const read = unscoped(ctx);
  await ctx.db.transaction(async (tx) => {
    const before = await getParseRow(withDb(read, tx), id, true);
    if (before.version !== version) throw versionConflict("parse", await getParse(withDb(read, tx), id));
    if (before.status !== "draft")
      throw appError(
        "parse_not_draft",
        `This parse is ${before.status}: only a draft can be corrected (parse the document again to start a new one)`,
      );
    const provisions = before.provisions as ParsedProvision[];
    let next: ParsedProvision[];
    try {
      next = applyParseEdit(provisions, edit);
    } catch (e) {
      if (e instanceof ParseEditError)
        throw appError("invalid_edit", e.message, {
          errors: [{ path: e.path, message: e.message }],
        });
      throw e;
    }
    const warnings = parseWarnings({
      provisions: next,
      sections: before.sections as ParsedDecree["sections"],
      toc: before.toc as ParsedDecree["toc"],
      warnings: [],
    });
    await tx.execute(
      sql`update decree_parses set provisions = ${JSON.stringify(next)}::jsonb, warnings = ${JSON.stringify(warnings)}::jsonb,
          version = version + 1 where id = ${id}`,
    );
    const numbers = touchedNumbers(edit);
    await recordAudit(tx, ctx, {
      action: "DECREE_PARSE_EDITED",
      entity: "decree_parse",
      entityId: id,
      before: { version: before.version, provisions: pick(provisions, numbers.before) },
      after: {
        version: before.version + 1,
        edit: edit.op === "edit" ? { op: edit.op, number: edit.number } : edit,
        provisions: pick(next, numbers.after),
        warnings,
      },
    });
  });
  return getParse(read, id);
}
