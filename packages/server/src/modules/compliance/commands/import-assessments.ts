import {
  describeLevels,
  findLevel,
  findRater,
  type ImportAssessmentsResult,
  parseCsv,
  RATER_LABELS,
  RATERS,
  type Rater,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, type FieldError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { isUuid, queryRows } from "../../../db/sql.js";
import type { ImportRecorder } from "../../imports/index.js";
import { getMatterRef } from "../../provisions/index.js";
import { lockMatterRatings } from "../rollups.js";
import { loadScale } from "../scale.js";
import { bumpMatterVersion, lockMatterVersion } from "./matter-version.js";
import { type RatingWrite, writeAssessments } from "./save-assessments.js";

/** The most rows one import may hold (a decree's ratings over several periods). */
export const MAX_IMPORT_ROWS = 20_000;

type Field = "paragraph" | "period" | "rater" | "level" | "rationale" | "document" | "page";

/** The names a monitor's table may give each column (after lowercasing and squeezing to a_b_c). */
const ALIASES: Record<Field, string[]> = {
  paragraph: ["paragraph", "provision", "para", "number", "no", "¶"],
  period: ["period", "reporting_period", "period_label"],
  rater: ["rater", "rated_by", "assessor", "source"],
  level: ["level", "rating", "compliance_status", "compliance_level", "compliance", "status"],
  rationale: ["rationale", "comment", "comments", "notes", "reason"],
  document: ["document", "document_id", "report_document"],
  page: ["page", "pages", "report_page", "pdf_page"],
};

const squeezeHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9¶]+/g, "_")
    .replace(/^_|_$/g, "");

/** Which column holds each field: the first that has one of its names ("pdf_page_of_355" is a page). */
function mapColumns(header: readonly string[]) {
  const columns: Partial<Record<Field, number>> = {};
  const ignored: string[] = [];
  header.forEach((raw, i) => {
    const h = squeezeHeader(raw);
    const field = (Object.keys(ALIASES) as Field[]).find(
      (f) => ALIASES[f].includes(h) || (f === "page" && /^(pdf_)?page_/.test(h)),
    );
    if (field && columns[field] === undefined) columns[field] = i;
    else if (raw.trim()) ignored.push(raw.trim());
  });
  return { columns, ignored };
}

const PARAGRAPH = /^(?:¶+|para(?:graph)?\.?|provision|no\.?)?\s*(\d{1,6})\.?$/i;

export interface ImportAssessmentsOptions {
  /** The matter (id or slug), read through the caller's scope. */
  key: string;
  csv: string;
  /** The period (id or label) of rows without a period column. */
  period?: string | undefined;
  /** The evidence document of rows without a document column (default: the period's report). */
  document?: string | undefined;
  /** The rater of rows without a rater column (default: the monitor). */
  rater?: Rater | undefined;
  /**
   * The matter's version the caller read (If-Match). An import replaces a report's worth of the
   * matter's ratings at once, so it counts as a change of the matter: two imports (or an import
   * and a section's termination) made from the same read cannot both land unseen.
   */
  version: number;
}

const invalid = (errors: FieldError[]) =>
  appError(
    "import_invalid",
    `The CSV file is invalid at ${errors[0]!.path}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}; nothing was imported`,
    { errors },
  );

/**
 * Imports a monitor report's table of ratings: a row per provision (by paragraph number or label)
 * with its level (code or label, any case) and optionally its period, rater, rationale, document
 * and page. One
 * transaction: every row is checked first, and any bad row — named by its row number, the header
 * being row 1 — leaves nothing written.
 */
export async function importAssessments(
  { key, ...input }: ImportAssessmentsOptions,
  ctx: CommandContext,
  /** The HTTP import's record, written in this transaction (none: the import is not recorded). */
  recorder?: ImportRecorder,
): Promise<ImportAssessmentsResult> {
  const [header, ...records] = parseCsv(input.csv);
  if (!header) throw invalid([{ path: "row 1", message: "The CSV file is empty" }]);
  const { columns, ignored } = mapColumns(header);
  const missing = (["paragraph", "level"] as const).filter((f) => columns[f] === undefined);
  if (missing.length)
    throw invalid(
      missing.map((f) => ({
        path: "row 1",
        message: `No ${f} column (name it ${ALIASES[f].slice(0, 3).join(", ")} …)`,
      })),
    );
  if (columns.period === undefined && !input.period)
    throw invalid([
      { path: "row 1", message: "No period column: add one, or name the period of every row (period=…)" },
    ]);
  // Row numbers as a spreadsheet shows them, the header being row 1 (blank lines do not count: the
  // parser drops them).
  const rows = records
    .map((cells, i) => ({ cells, n: i + 2 }))
    .filter((r) => r.cells.some((cell) => cell.trim() !== ""));
  if (!rows.length) throw invalid([{ path: "row 2", message: "The CSV file has no rows" }]);
  if (rows.length > MAX_IMPORT_ROWS)
    throw invalid([
      { path: `row ${MAX_IMPORT_ROWS + 2}`, message: `At most ${MAX_IMPORT_ROWS} rows in one import` },
    ]);

  return ctx.db.transaction(async (tx) => {
    const matter = await getMatterRef(withDb(ctx, tx), key);
    recorder?.forMatter(matter.id);
    // The matter's row before the ratings' lock: accepting a parse takes them in that order.
    await lockMatterVersion(tx, ctx, matter.id, input.version);
    await lockMatterRatings(tx, matter.id);
    const scale = await loadScale(tx, matter.id);
    const periods = await queryRows<{ id: string; label: string; reportDocumentId: string | null }>(
      tx,
      sql`select id, label, report_document_id as "reportDocumentId" from reporting_periods where matter_id = ${matter.id}`,
    );
    const provisions = await queryRows<{
      id: string;
      number: number | null;
      label: string;
    }>(
      tx,
      sql`select id, number, label from provisions where matter_id = ${matter.id} and retired_at is null`,
    );
    const documents = await queryRows<{ id: string; title: string; filename: string }>(
      tx,
      sql`select id, title, filename from documents where matter_id = ${matter.id}`,
    );
    const periodOf = (v: string) => {
      const k = v.trim().toLowerCase();
      return periods.find((p) => p.id === k || p.label.toLowerCase() === k);
    };
    const documentOf = (v: string) => {
      const k = v.trim().toLowerCase();
      return documents.find(
        (d) => d.id === k || d.title.toLowerCase() === k || d.filename.toLowerCase() === k,
      );
    };
    const byNumber = new Map(
      provisions.flatMap((p) => (p.number === null ? [] : ([[p.number, p]] as const))),
    );
    const byLabel = new Map(provisions.map((p) => [p.label.toLowerCase(), p]));
    const errors: FieldError[] = [];
    const at = (n: number, field: string) => `row ${n}, field ${field}`;

    const defaultPeriod = input.period ? periodOf(input.period) : undefined;
    if (input.period && !defaultPeriod)
      throw invalid([
        {
          path: "period",
          message: `"${input.period}" is not a reporting period of this matter (${periods.map((p) => p.label).join(", ") || "it has none"})`,
        },
      ]);
    if (input.document && !(isUuid(input.document) && documentOf(input.document)))
      throw invalid([{ path: "document", message: `${input.document} is not a document of this matter` }]);

    const writes: RatingWrite[] = [];
    const sourceRows: number[] = [];
    for (const { cells, n } of rows) {
      const cell = (f: Field) => (columns[f] === undefined ? undefined : (cells[columns[f]!] ?? "").trim());
      const before = errors.length;

      const paragraph = cell("paragraph")!;
      const m = PARAGRAPH.exec(paragraph);
      // A paragraph number ("46", "¶ 46") or a provision's label as cited ("III.A.1.a(i)").
      const provision = m
        ? byNumber.get(Number(m[1]))
        : byLabel.get(paragraph.replace(/^¶\s*/, "¶ ").toLowerCase());
      const provisionId = provision?.id;
      if (!paragraph) errors.push({ path: at(n, "paragraph"), message: "Empty: give the paragraph number" });
      else if (!provision)
        errors.push({
          path: at(n, "paragraph"),
          message: m
            ? `This matter's decree has no current paragraph ${m[1]}`
            : `"${paragraph}" is neither a paragraph number nor the label of a current provision`,
        });

      const raterCell = cell("rater");
      const rater = raterCell ? findRater(raterCell) : (input.rater ?? "monitor");
      if (raterCell && !rater)
        errors.push({
          path: at(n, "rater"),
          message: `"${raterCell}" is not a rater; the raters are ${RATERS.map((r) => `${r} (${RATER_LABELS[r]})`).join(", ")}`,
          allowed: [...RATERS],
        });

      const periodCell = cell("period");
      const period = periodCell ? periodOf(periodCell) : defaultPeriod;
      if (!period)
        errors.push({
          path: at(n, "period"),
          message: periodCell
            ? `"${periodCell}" is not a reporting period of this matter (${periods.map((p) => p.label).join(", ") || "it has none"})`
            : "Empty: name the period",
        });

      const written = cell("level")!;
      const level = findLevel(scale.levels, written);
      if (!written) errors.push({ path: at(n, "level"), message: "Empty: give the level" });
      else if (!level)
        errors.push({
          path: at(n, "level"),
          message: `'${written}' is not a level of this matter's scale; the levels are ${describeLevels(scale.levels)}`,
          allowed: scale.levels.map((l) => l.label),
        });

      const documentCell = cell("document");
      const document = documentCell
        ? documentOf(documentCell)
        : ((input.document ? documentOf(input.document) : undefined) ??
          (period?.reportDocumentId ? { id: period.reportDocumentId } : undefined));
      if (documentCell && !document)
        errors.push({
          path: at(n, "document"),
          message: `"${documentCell}" is not a document of this matter (give its id or title)`,
        });
      const pageCell = cell("page");
      let page: number | undefined;
      if (pageCell) {
        page = /^\d{1,6}$/.test(pageCell) ? Number(pageCell) : undefined;
        if (!page) errors.push({ path: at(n, "page"), message: `"${pageCell}" is not a page number` });
        else if (!document && !documentCell)
          errors.push({
            path: at(n, "page"),
            message:
              "A page of which document? Add a document column, name one (document=…), or set the period's report",
          });
      }

      if (errors.length > before || !provisionId || !period || !level || !rater) continue;
      const rationale = cell("rationale");
      writes.push({
        provisionId,
        periodId: period.id,
        rater,
        level: level.code,
        ...(rationale === undefined ? {} : { rationale: rationale || null }),
        ...(document
          ? { evidence: [page ? { documentId: document.id, page } : { documentId: document.id }] }
          : {}),
      });
      sourceRows.push(n);
    }
    if (errors.length) throw invalid(errors.slice(0, 50));

    const result = await writeAssessments(tx, ctx, matter, writes, {
      action: "ASSESSMENTS_IMPORTED",
      pathOf: (i, field) =>
        at(sourceRows[i]!, field === "provisionId" ? "paragraph" : field === "periodId" ? "period" : field),
      rowOf: (i) => `row ${sourceRows[i]}`,
      invalid,
      auditExtra: { rows: rows.length },
    });
    const version = await bumpMatterVersion(tx, matter.id);
    const answer = { ...result, rows: rows.length, ignoredColumns: ignored, version };
    await recorder?.succeeded(tx, {
      rowCount: rows.length,
      rowsWritten: writes.length,
      status: 200,
      body: answer,
    });
    return answer;
  });
}
