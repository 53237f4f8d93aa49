import {
  applyParseEdit,
  type DecreeParse,
  normalizeLabel,
  type ParsedDecree,
  type ParsedProvision,
  type ParseEdit,
  ParseEditError,
  warningLabel,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { getParse, getParseRow } from "../queries/parses.js";
import { parseWarnings } from "./parse-document.js";

/** The labels of the nodes an edit touches, before it and after it: what the audit entry keeps. */
function touchedLabels(
  edit: ParseEdit,
  before: readonly ParsedProvision[],
  after: readonly ParsedProvision[],
): { before: string[]; after: string[] } {
  const labelAt = (ps: readonly ParsedProvision[], i: number) => ps[i]?.label;
  const target = (e: { label?: string | undefined; number?: number | undefined }) =>
    e.label !== undefined ? normalizeLabel(e.label) : `¶ ${e.number}`;
  const at = (label: string) => before.findIndex((p) => p.label === label);
  const defined = (xs: (string | undefined)[]) => xs.filter((x): x is string => x !== undefined);
  switch (edit.op) {
    case "split": {
      const i = at(target(edit));
      return {
        before: defined([labelAt(before, i)]),
        after: defined([labelAt(after, i), labelAt(after, i + 1)]),
      };
    }
    case "merge": {
      const i = at(target(edit));
      return {
        before: defined([labelAt(before, i - 1), labelAt(before, i)]),
        after: defined([labelAt(after, i - 1)]),
      };
    }
    case "renumber":
      return { before: [`¶ ${edit.from}`], after: [`¶ ${edit.to}`] };
    case "relabel":
      return { before: [normalizeLabel(edit.label)], after: [normalizeLabel(edit.to)] };
    default: {
      const label = target(edit);
      return { before: [label], after: [label] };
    }
  }
}

/** What the audit entry keeps of a node: its label, place in the outline and words. */
const pick = (provisions: readonly ParsedProvision[], labels: string[]) =>
  provisions
    .filter((p) => labels.includes(p.label))
    .map((p) => ({
      label: p.label,
      parentLabel: p.parentLabel ?? null,
      heading: p.heading ?? false,
      caption: p.caption ?? null,
      text: p.text,
    }));

/**
 * The warnings after an edit: those the checks give for the new provisions, and the parser's
 * own (an OCR confusion resolved, a style ambiguous, pages without text) while the node each is
 * about is still there and was not the one corrected.
 */
function warningsAfter(
  before: { provisions: ParsedProvision[]; warnings: string[] },
  next: ParsedProvision[],
  touched: string[],
  rest: Pick<ParsedDecree, "sections" | "toc">,
): string[] {
  const checks = (provisions: ParsedProvision[]) => parseWarnings({ provisions, ...rest, warnings: [] });
  const derived = new Set(checks(before.provisions));
  const labels = before.provisions.map((p) => p.label);
  const remaining = new Set(next.map((p) => p.label));
  const kept = before.warnings.filter((w) => {
    if (derived.has(w)) return false;
    const label = warningLabel(w, labels);
    return label === null || (remaining.has(label) && !touched.includes(label));
  });
  return [...kept, ...checks(next).filter((w) => !kept.includes(w))];
}

export interface EditParseOptions {
  id: string;
  /** The parse's version the caller read (If-Match). */
  version: number;
  edit: ParseEdit;
}

/**
 * Applies one correction to a draft parse (split, merge, renumber, relabel, edit, heading, move)
 * and re-checks it. Labels stay unique (else 422 duplicate_label, naming the node that holds it).
 */
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
        throw appError(e.code, e.message, {
          errors: [{ path: e.path, message: e.message }],
        });
      throw e;
    }
    const labels = touchedLabels(edit, provisions, next);
    const warnings = warningsAfter({ provisions, warnings: before.warnings }, next, labels.before, {
      sections: before.sections as ParsedDecree["sections"],
      toc: before.toc as ParsedDecree["toc"],
    });
    await tx.execute(
      sql`update decree_parses set provisions = ${JSON.stringify(next)}::jsonb, warnings = ${JSON.stringify(warnings)}::jsonb,
          version = version + 1 where id = ${id}`,
    );
    await recordAudit(tx, ctx, {
      action: "DECREE_PARSE_EDITED",
      entity: "decree_parse",
      entityId: id,
      before: { version: before.version, provisions: pick(provisions, labels.before) },
      after: {
        version: before.version + 1,
        // The edit by labels (a new text is in the provisions after it).
        edit: { ...edit, ...(edit.op === "edit" ? { text: undefined, caption: undefined } : {}), labels },
        provisions: pick(next, labels.after),
        warnings,
      },
    });
  });
  return getParse(read, id);
}
