import {
  type Cycle,
  MATTER_KIND_LABELS,
  MATTER_STATUS_LABELS,
  RATING_TONE_COLORS,
  RECOMMENDATION_LABELS,
  REPORT_INCLUDE_LABELS,
  REVIEW_STATUS_LABELS,
  type Recommendation,
  type ReportReview,
  type ReviewReport,
  type ReviewStatus,
  reportReviewHasFindings,
} from "@accord/domain";
import type PDFKitDocument from "pdfkit";
import { nameOf } from "./reviews.presenter.js";

const MARGIN = 50;
const INK = "#212529";
const MUTED = "#6c757d";
const WARN = "#c2410c";
/** Marks, in the matrix, a review whose matter changed after it was approved. */
const CHANGED_MARK = "†";

/**
 * The report as a PDF: a cover with the mandate and scope, counts by recommendation and by
 * criterion rating, the matrix of matters × criteria, and a page per matter with its findings
 * and citations; the reviews with nothing in them yet are listed together on one page. A review
 * whose matter changed after its approval is marked. Standard fonts only (nothing to load from
 * disk beyond pdfkit's own).
 */
export async function reportPdf(report: ReviewReport): Promise<Buffer> {
  const { cycle, board, reviews } = report;
  // Loaded on the first report, not at start: pdfkit alone takes most of a second to import.
  const { default: PDFDocument } = (await import("pdfkit")) as { default: typeof PDFKitDocument };
  const doc = new PDFDocument({
    size: "LETTER",
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `${cycle.name} — report`, Author: "Accord", Subject: "Review findings" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const heading = (text: string, size = 16) => {
    doc.moveDown(0.6).font("Helvetica-Bold").fontSize(size).fillColor(INK).text(text);
    doc.moveDown(0.3).font("Helvetica").fontSize(10);
  };
  const para = (text: string, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.font("Helvetica").fontSize(10).fillColor(INK).text(text, options);
  const muted = (text: string) =>
    doc.font("Helvetica").fontSize(9).fillColor(MUTED).text(text).fillColor(INK);

  // Cover
  doc.font("Helvetica-Bold").fontSize(22).fillColor(INK).text(cycle.name, { width });
  doc.moveDown(0.5);
  muted(
    `Report generated ${report.generatedAt.slice(0, 16).replace("T", " ")} UTC · ${board.total} review${board.total === 1 ? "" : "s"}` +
      (cycle.dueOn ? ` · due ${cycle.dueOn}` : ""),
  );
  muted(
    `Includes: ${REPORT_INCLUDE_LABELS[report.include].toLowerCase()} (${reviews.length} of ${board.total} review${board.total === 1 ? "" : "s"})`,
  );
  const changed = reviews.filter((r) => r.changedSinceApproval).length;
  if (changed)
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor(WARN)
      .text(
        `${changed} approved review${changed === 1 ? "" : "s"} changed since approval: the matter's facts, timeline or documents changed after it was approved (marked ${CHANGED_MARK}).`,
      )
      .fillColor(INK);
  if (cycle.mandate) {
    heading("Mandate", 13);
    para(cycle.mandate);
  }
  if (cycle.mandateDocument) muted(`Mandate document: ${cycle.mandateDocument.title}`);
  if (cycle.mandateUrl) muted(cycle.mandateUrl);
  heading("Scope", 13);
  const kinds = cycle.scope.kinds.map((k) => MATTER_KIND_LABELS[k]).join(", ") || "every kind of matter";
  const statuses = cycle.scope.statuses.map((s) => MATTER_STATUS_LABELS[s]).join(", ") || "any status";
  para(`Matters: ${kinds}; status: ${statuses}.`);
  heading("Criteria", 13);
  for (const c of cycle.criteria) para(`${c.code}. ${c.title}`, { indent: 10 });

  heading("Reviews by status", 13);
  for (const [status, n] of Object.entries(board.byStatus))
    if (n) para(`${REVIEW_STATUS_LABELS[status as ReviewStatus] ?? status}: ${n}`, { indent: 10 });
  heading("Recommendations", 13);
  for (const [rec, n] of Object.entries(board.byRecommendation)) {
    const label = rec === "none" ? "No recommendation yet" : RECOMMENDATION_LABELS[rec as Recommendation];
    bar(doc, label, n, board.total, width);
  }

  // Ratings by criterion
  doc.addPage();
  heading("Ratings by criterion");
  for (const c of board.byCriterion) {
    doc.font("Helvetica-Bold").fontSize(10).fillColor(INK).text(`${c.code}. ${c.title}`);
    for (const level of cycle.ratingScale)
      bar(doc, level.label, c.ratings[level.code] ?? 0, board.total, width, level.tone);
    if (c.unrated) bar(doc, "Not rated yet", c.unrated, board.total, width, "none");
    doc.moveDown(0.4);
  }

  // The matrix
  if (reviews.length) {
    doc.addPage();
    heading("The matrix: matters × criteria");
    legend(doc, cycle);
    matrix(doc, cycle, reviews, width);
  }

  // A page per matter with something to report; the rest listed together.
  const reviewed = reviews.filter(reportReviewHasFindings);
  const notReviewed = reviews.filter((r) => !reportReviewHasFindings(r));
  for (const r of reviewed) {
    doc.addPage();
    doc.font("Helvetica-Bold").fontSize(15).fillColor(INK).text(r.matter.title, { width });
    muted(
      `${MATTER_KIND_LABELS[r.matter.kind as keyof typeof MATTER_KIND_LABELS] ?? r.matter.kind} · ${r.matter.jurisdiction}, ${r.matter.stateCode} · ${MATTER_STATUS_LABELS[r.matter.status as keyof typeof MATTER_STATUS_LABELS] ?? r.matter.status}`,
    );
    muted(
      `Review: ${REVIEW_STATUS_LABELS[r.status]}${r.assignee ? ` · reviewer ${nameOf(r.assignee)}` : ""}${
        r.approvedBy ? ` · approved by ${nameOf(r.approvedBy)} on ${r.approvedAt?.slice(0, 10)}` : ""
      }`,
    );
    if (r.changedSinceApproval)
      doc
        .font("Helvetica-Bold")
        .fontSize(9)
        .fillColor(WARN)
        .text(
          `${CHANGED_MARK} Changed since approval: the matter's facts, timeline or documents changed after this review was approved.`,
          { width },
        )
        .fillColor(INK);
    doc.moveDown(0.5);
    doc
      .font("Helvetica-Bold")
      .fontSize(11)
      .text(`Recommendation: ${r.recommendation ? RECOMMENDATION_LABELS[r.recommendation] : "none yet"}`);
    if (r.recommendationRationale) para(r.recommendationRationale);
    for (const c of cycle.criteria) {
      const f = r.findings[c.code];
      doc.moveDown(0.5);
      const level = cycle.ratingScale.find((l) => l.code === f?.rating);
      const y = doc.y;
      doc.rect(MARGIN, y + 1, 8, 8).fill(RATING_TONE_COLORS[level?.tone ?? "none"].hex);
      doc
        .fillColor(INK)
        .font("Helvetica-Bold")
        .fontSize(10)
        .text(`${c.code}. ${c.title} — ${level?.label ?? "not rated"}`, MARGIN + 14, y, {
          width: width - 14,
        });
      doc.x = MARGIN;
      if (f?.rationale) para(f.rationale, { width });
      if (f?.citationLabels.length) muted(`Cites: ${f.citationLabels.join("; ")}`);
    }
  }

  if (notReviewed.length) {
    doc.addPage();
    heading(`Not reviewed yet (${notReviewed.length})`);
    muted("These reviews have no rating, rationale or recommendation yet.");
    doc.moveDown(0.4);
    for (const r of notReviewed)
      para(
        `${r.matter.title} — ${r.matter.jurisdiction}, ${r.matter.stateCode} · ${r.assignee ? `reviewer ${nameOf(r.assignee)}` : "unassigned"}`,
        { indent: 10, width: width - 10 },
      );
  }

  // Page numbers
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing in the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${cycle.name} · page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN + 15, {
        width,
        align: "center",
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

/** A labelled horizontal bar: n of total. */
function bar(
  doc: PDFKit.PDFDocument,
  label: string,
  n: number,
  total: number,
  width: number,
  tone: keyof typeof RATING_TONE_COLORS = "good",
) {
  const labelWidth = 170;
  const barMax = width - labelWidth - 40;
  const y = doc.y;
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor(INK)
    .text(label, MARGIN + 10, y, { width: labelWidth - 10 });
  const w = total ? Math.max(n ? 2 : 0, (barMax * n) / total) : 0;
  if (w)
    doc
      .rect(MARGIN + labelWidth, y + 1, w, 8)
      .fill(tone === "good" ? "#4c6ef5" : RATING_TONE_COLORS[tone].hex);
  doc
    .fillColor(INK)
    .text(String(n), MARGIN + labelWidth + w + 4, y, { lineBreak: false })
    .text("", MARGIN, y + 13);
  doc.x = MARGIN;
}

function legend(doc: PDFKit.PDFDocument, cycle: Cycle) {
  let x = MARGIN;
  const y = doc.y;
  for (const level of cycle.ratingScale) {
    doc.rect(x, y + 1, 8, 8).fill(RATING_TONE_COLORS[level.tone].hex);
    doc
      .fillColor(INK)
      .font("Helvetica")
      .fontSize(8)
      .text(level.label, x + 11, y, { lineBreak: false });
    x += 22 + doc.widthOfString(level.label);
  }
  doc.text(`${CHANGED_MARK} changed since approval`, x, y, { lineBreak: false });
  doc.text("", MARGIN, y + 16);
}

/** Rows of matters, a coloured cell per criterion, breaking across pages. */
function matrix(doc: PDFKit.PDFDocument, cycle: Cycle, reviews: ReportReview[], width: number) {
  const cell = 18;
  const nameWidth = Math.max(150, width - cycle.criteria.length * cell - 10);
  const header = () => {
    const y = doc.y;
    cycle.criteria.forEach((c, i) => {
      doc
        .font("Helvetica-Bold")
        .fontSize(8)
        .fillColor(INK)
        .text(c.code, MARGIN + nameWidth + i * cell, y, { width: cell, align: "center", lineBreak: false });
    });
    doc.text("", MARGIN, y + 12);
  };
  header();
  for (const r of reviews) {
    if (doc.y + cell > doc.page.height - MARGIN - 10) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    const name = `${r.changedSinceApproval ? `${CHANGED_MARK} ` : ""}${r.matter.title} (${r.matter.stateCode})`;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(INK)
      .text(name, MARGIN, y + 4, {
        width: nameWidth - 6,
        height: cell - 4,
        ellipsis: true,
        lineBreak: false,
      });
    cycle.criteria.forEach((c, i) => {
      const level = cycle.ratingScale.find((l) => l.code === r.findings[c.code]?.rating);
      doc
        .rect(MARGIN + nameWidth + i * cell + 1, y + 1, cell - 2, cell - 2)
        .fill(level ? RATING_TONE_COLORS[level.tone].hex : "#f8f9fa");
    });
    doc.text("", MARGIN, y + cell);
  }
  doc.fillColor(INK);
}
