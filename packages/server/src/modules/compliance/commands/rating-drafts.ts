import {
  type ComplianceLevel,
  type CreateRatingDraft,
  countDraft,
  findLevel,
  RATING_WORDINGS,
  type RatingDraft,
  type RatingDraftItem,
  type RatingWording,
  type RatingWordingChoice,
  RatingWordingChoiceSchema,
  readRatings,
  type UpdateRatingDraft,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, type FieldError, notFound } from "../../../context/app-error.js";
import { type CommandContext, type ReadContext, withDb } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Queryable, Tx } from "../../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatterRef } from "../../provisions/index.js";
import { lockMatterRatings } from "../rollups.js";
import { loadScale } from "../scale.js";
import { type RatingWrite, writeAssessments } from "./save-assessments.js";

/**
 * Reading a report into ratings (issue 14, item 4): the report's text is read with the matter's
 * wording (domain: rating-reader.ts) into a draft of rows — label, level as written and on the
 * scale, rater, page, quote — which a person checks, corrects or drops, then accepts: one
 * transaction writes the period's ratings, audited, each with the report's page as evidence.
 */

interface DraftRow {
  id: string;
  documentId: string;
  matterId: string;
  periodId: string | null;
  wording: RatingWordingChoice;
  status: "draft" | "accepted";
  items: RatingDraftItem[];
  warnings: string[];
  version: number;
  createdAt: string;
  acceptedAt: string | null;
}

const DRAFT_COLUMNS = sql`r.id, r.document_id as "documentId", r.matter_id as "matterId", r.period_id as "periodId",
  r.wording, r.status, r.items, r.warnings, r.version, ${isoTime("r.created_at")} as "createdAt",
  case when r.accepted_at is null then null else ${isoTime("r.accepted_at")} end as "acceptedAt"`;

const DEFAULT_WORDING: RatingWordingChoice = { layout: "provision-blocks" };

/** The layout's wording with the matter's own phrases added. */
function wordingOf(choice: RatingWordingChoice): RatingWording {
  const base = RATING_WORDINGS[choice.layout];
  return { ...base, levels: { ...base.levels, ...(choice.levels ?? {}) } };
}

interface ProvisionHit {
  id: string;
  label: string;
  text: string;
}

/** The matter's current provisions by label ("¶ 31"; a bare "31" finds "¶ 31" too). */
async function provisionsByLabel(db: Queryable, matterId: string) {
  const rows = await queryRows<ProvisionHit>(
    db,
    sql`select id, label, coalesce(nullif(caption, ''), left(text, 120)) as text from provisions
        where matter_id = ${matterId} and retired_at is null`,
  );
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  return (label: string) =>
    byLabel.get(label) ?? (/^\d+$/.test(label) ? byLabel.get(`¶ ${label}`) : undefined);
}

/** A level on the matter's scale: the wording's code when the scale has it, else the phrase read as a level's label. */
function levelOn(levels: readonly ComplianceLevel[], code: string | null, written: string): string | null {
  if (code && levels.some((l) => l.code === code)) return code;
  return findLevel(levels, written)?.code ?? null;
}

async function periodOf(db: Queryable, matterId: string, key: string, path: string) {
  const periods = await queryRows<{ id: string; label: string }>(
    db,
    sql`select id, label from reporting_periods where matter_id = ${matterId} order by ends_on`,
  );
  const found = periods.find((p) => (isUuid(key) ? p.id === key : p.label === key));
  if (!found)
    throw appError("validation_failed", `"${key}" is not a reporting period of this matter`, {
      errors: [
        {
          path,
          message: periods.length
            ? `Choose one of its periods: ${periods.map((p) => p.label).join(", ")}`
            : "The matter has no reporting period yet: add one on its compliance tab",
          allowed: periods.map((p) => p.label),
        },
      ],
    });
  return found.id;
}

async function draftRow(db: Queryable, id: string, lock = false): Promise<DraftRow> {
  if (!isUuid(id)) throw notFound("rating draft", id);
  const row = await queryOne<DraftRow>(
    db,
    sql`select ${DRAFT_COLUMNS} from rating_drafts r where r.id = ${id}${lock ? sql` for update` : sql``}`,
  );
  if (!row) throw notFound("rating draft", id);
  return row;
}

/** A draft as the API gives it; its matter and document are read through the caller's scope (404 otherwise). */
export async function getRatingDraft(ctx: ReadContext, id: string): Promise<RatingDraft> {
  const row = await draftRow(ctx.db, id);
  return present(ctx, row);
}

async function present(ctx: ReadContext, row: DraftRow): Promise<RatingDraft> {
  const matter = await getMatterRef(ctx, row.matterId);
  const document = await queryOne<{ id: string; title: string; pageCount: number | null }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select d.id, d.title, d.page_count as "pageCount" from documents d where d.id = ${row.documentId}`,
    ),
  );
  if (!document) throw notFound("rating draft", row.id);
  const period = row.periodId
    ? ((await queryOne<RatingDraft["period"]>(
        ctx.db,
        sql`select id, label, ends_on as "endsOn" from reporting_periods where id = ${row.periodId}`,
      )) ?? null)
    : null;
  const scale = await loadScale(ctx.db, matter.id);
  return {
    id: row.id,
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    document,
    period,
    wording: RatingWordingChoiceSchema.parse(row.wording),
    status: row.status,
    items: row.items,
    warnings: row.warnings,
    counts: countDraft(row.items),
    levels: scale.levels.map((l) => ({ code: l.code, label: l.label })),
    version: row.version,
    createdAt: row.createdAt,
    acceptedAt: row.acceptedAt,
  };
}

/** Reads a document of a matter (a monitor's report, an assessment) into a new draft of ratings. */
export async function createRatingDraft(
  documentId: string,
  input: CreateRatingDraft,
  ctx: CommandContext,
): Promise<RatingDraft> {
  if (!isUuid(documentId)) throw notFound("document", documentId);
  const id = await ctx.db.transaction(async (tx) => {
    const scoped = withDb(ctx, tx);
    const document = await queryOne<{ id: string; title: string; matterId: string | null; status: string }>(
      tx,
      inScope(
        ctx.scope,
        sql`select d.id, d.title, d.matter_id as "matterId", d.status from documents d where d.id = ${documentId}`,
      ),
    );
    if (!document) throw notFound("document", documentId);
    if (!document.matterId)
      throw appError("no_matter", "Attach this report to its matter first: its ratings are that matter's");
    if (document.status !== "ready")
      throw appError(
        "document_not_ready",
        "This document is still being read: try again when its pages are ready",
      );
    const matter = await getMatterRef(scoped, document.matterId);
    const latest = await queryOne<{ wording: RatingWordingChoice }>(
      tx,
      sql`select wording from rating_drafts where matter_id = ${matter.id} order by created_at desc limit 1`,
    );
    const wording =
      input.wording ?? (latest ? RatingWordingChoiceSchema.parse(latest.wording) : DEFAULT_WORDING);
    const periodId = input.period ? await periodOf(tx, matter.id, input.period, "period") : null;

    // The pages as the reader expects them: one form feed between pages, a missing page left empty.
    const pages = await queryRows<{ page: number; text: string }>(
      tx,
      sql`select page, text from document_pages where document_id = ${document.id} order by page`,
    );
    const texts: string[] = [];
    for (const p of pages) texts[p.page - 1] = p.text.replaceAll("\f", "\n");
    const read = readRatings(Array.from(texts, (t) => t ?? "").join("\f"), wordingOf(wording));

    const find = await provisionsByLabel(tx, matter.id);
    const scale = await loadScale(tx, matter.id);
    const items: RatingDraftItem[] = read.items.map((p) => {
      const hit = find(p.label);
      return {
        label: p.label,
        provisionId: hit?.id ?? null,
        provisionText: hit?.text ?? null,
        levelAsWritten: p.levelAsWritten,
        level: levelOn(scale.levels, p.level, p.levelAsWritten),
        rater: p.rater as RatingDraftItem["rater"],
        page: p.page,
        quote: p.quote,
        dropped: false,
      };
    });
    const warnings = [...read.warnings];
    if (!items.length)
      warnings.unshift(
        "No rating was found with this layout: choose the layout of this report (or its level phrases) and read it again",
      );
    const unknown = items.filter((i) => !i.provisionId).length;
    if (unknown)
      warnings.unshift(
        `${unknown} row(s) name no current provision of this matter: correct the label or drop the row`,
      );

    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into rating_drafts (document_id, matter_id, period_id, wording, items, warnings, created_by)
          values (${document.id}, ${matter.id}, ${periodId}, ${JSON.stringify(wording)}::jsonb,
            ${JSON.stringify(items)}::jsonb, ${JSON.stringify(warnings)}::jsonb, ${ctx.actor})
          returning id`,
    );
    await recordAudit(tx, ctx, {
      action: "RATING_DRAFT_CREATED",
      entity: "rating_draft",
      entityId: row!.id,
      after: { document: { id: document.id, title: document.title }, wording, counts: countDraft(items) },
    });
    return row!.id;
  });
  return getRatingDraft(ctx, id);
}

async function openDraft(tx: Tx, ctx: CommandContext, id: string, version: number) {
  const before = await draftRow(tx, id, true);
  // Its matter through the caller's scope: a monitor corrects drafts of their matters only.
  await getMatterRef(withDb(ctx, tx), before.matterId);
  if (before.version !== version)
    throw versionConflict("rating draft", await present(withDb(ctx, tx), before));
  if (before.status !== "draft")
    throw appError(
      "rating_draft_accepted",
      "This draft was accepted: read the report again to start a new one",
    );
  return before;
}

/** Corrects rows of a draft (label, level, rater, dropped) or its period. */
export async function updateRatingDraft(
  { id, version, patch }: { id: string; version: number; patch: UpdateRatingDraft },
  ctx: CommandContext,
): Promise<RatingDraft> {
  await ctx.db.transaction(async (tx) => {
    const before = await openDraft(tx, ctx, id, version);
    const items = before.items.map((i) => ({ ...i }));
    const scale = await loadScale(tx, before.matterId);
    const find = await provisionsByLabel(tx, before.matterId);
    const errors: FieldError[] = [];
    const changed = new Set<number>();
    (patch.items ?? []).forEach((edit, k) => {
      const item = items[edit.index];
      if (!item) {
        errors.push({ path: `items.${k}.index`, message: `The draft has rows 0 to ${items.length - 1}` });
        return;
      }
      if (edit.label !== undefined) {
        const hit = find(edit.label);
        if (!hit)
          errors.push({
            path: `items.${k}.label`,
            message: `This matter has no current provision ${edit.label}`,
          });
        else Object.assign(item, { label: hit.label, provisionId: hit.id, provisionText: hit.text });
      }
      if (edit.level !== undefined) {
        if (edit.level !== null && !scale.levels.some((l) => l.code === edit.level))
          errors.push({
            path: `items.${k}.level`,
            message: `"${edit.level}" is not a level of this matter's scale`,
            allowed: scale.levels.map((l) => l.code),
          });
        else item.level = edit.level;
      }
      if (edit.rater !== undefined) item.rater = edit.rater;
      if (edit.dropped !== undefined) item.dropped = edit.dropped;
      changed.add(edit.index);
    });
    if (errors.length)
      throw appError("validation_failed", `${errors[0]!.message}; nothing was changed`, {
        errors: errors.slice(0, 50),
      });
    const periodId =
      patch.period === undefined
        ? before.periodId
        : patch.period === null
          ? null
          : await periodOf(tx, before.matterId, patch.period, "period");
    await tx.execute(
      sql`update rating_drafts set items = ${JSON.stringify(items)}::jsonb, period_id = ${periodId},
          version = version + 1 where id = ${id}`,
    );
    const rows = [...changed].sort((a, b) => a - b).slice(0, 200);
    await recordAudit(tx, ctx, {
      action: "RATING_DRAFT_EDITED",
      entity: "rating_draft",
      entityId: id,
      before: { periodId: before.periodId, rows: rows.map((i) => ({ index: i, ...before.items[i] })) },
      after: { periodId, rows: rows.map((i) => ({ index: i, ...items[i] })) },
    });
  });
  return getRatingDraft(ctx, id);
}

/**
 * Accepts a draft: its rows not dropped become the period's ratings, each with the report's page
 * as evidence, in one transaction. Rows that still name no provision or no level are refused.
 */
export async function acceptRatingDraft(
  { id, version }: { id: string; version: number },
  ctx: CommandContext,
): Promise<{ draft: RatingDraft; saved: number; period: NonNullable<RatingDraft["period"]> }> {
  const saved = await ctx.db.transaction(async (tx) => {
    const before = await openDraft(tx, ctx, id, version);
    if (!before.periodId)
      throw appError("draft_incomplete", "Choose the reporting period these ratings are for", {
        errors: [{ path: "period", message: "Choose the reporting period these ratings are for" }],
      });
    const matter = await getMatterRef(withDb(ctx, tx), before.matterId);
    await lockMatterRatings(tx, matter.id);
    const live = before.items.map((item, index) => ({ item, index })).filter(({ item }) => !item.dropped);
    const open = live.filter(({ item }) => !item.provisionId || !item.level);
    if (open.length)
      throw appError(
        "draft_incomplete",
        `${open.length} row(s) have no provision or no level: fix or drop them, then accept`,
        {
          errors: open.slice(0, 50).map(({ item, index }) => ({
            path: `items.${index}`,
            message: item.provisionId
              ? `${item.label}: "${item.levelAsWritten}" is not yet a level of the scale`
              : `${item.label}: no current provision has this label`,
          })),
        },
      );
    const writes: RatingWrite[] = live.map(({ item }) => ({
      provisionId: item.provisionId!,
      periodId: before.periodId!,
      rater: item.rater,
      level: item.level,
      evidence: [{ documentId: before.documentId, page: item.page }],
    }));
    const result = await writeAssessments(tx, ctx, matter, writes, {
      action: "ASSESSMENTS_READ",
      pathOf: (i, field) => `items.${live[i]!.index}.${field}`,
      rowOf: (i) => `row ${live[i]!.index} (${live[i]!.item.label})`,
      invalid: (errors) =>
        appError("draft_incomplete", `${errors[0]!.message}; nothing was saved`, {
          errors: errors.slice(0, 50),
        }),
      auditExtra: { draftId: id, documentId: before.documentId, rows: writes.length },
    });
    await tx.execute(
      sql`update rating_drafts set status = 'accepted', accepted_at = now(), version = version + 1 where id = ${id}`,
    );
    return result.created + result.updated + result.unchanged;
  });
  const draft = await getRatingDraft(ctx, id);
  return { draft, saved, period: draft.period! };
}

/** The drafts read from one document, newest first (for its page). */
export async function listRatingDrafts(ctx: ReadContext, documentId: string) {
  if (!isUuid(documentId)) throw notFound("document", documentId);
  const document = await queryOne<{ id: string }>(
    ctx.db,
    inScope(ctx.scope, sql`select d.id from documents d where d.id = ${documentId}`),
  );
  if (!document) throw notFound("document", documentId);
  return queryRows<{ id: string; status: string; createdAt: string; items: number }>(
    ctx.db,
    sql`select r.id, r.status, ${isoTime("r.created_at")} as "createdAt", jsonb_array_length(r.items)::int as items
        from rating_drafts r where r.document_id = ${documentId} order by r.created_at desc limit 20`,
  );
}
