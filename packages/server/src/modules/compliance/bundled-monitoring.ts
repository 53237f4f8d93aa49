import type { RatingWordingName, SetComplianceScale } from "@accord/domain";

type ComplianceLevelInput = SetComplianceScale["levels"][number];

import { sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import { type CommandContext, systemContext, withDb } from "../../context/command-context.js";
import type { Database } from "../../db/open.js";
import { settings as settingsTable } from "../../db/schema.js";
import { queryOne, queryRows } from "../../db/sql.js";
import {
  BlobStore,
  DEFAULT_LIMITS,
  type ExtractionLimits,
  runExtractionJob,
  stopSpareWorker,
} from "../documents/index.js";
import { acceptProvisions, parseDocument } from "../provisions/index.js";
import { createPeriod } from "./commands/create-period.js";
import { acceptRatingDraft, createRatingDraft, updateRatingDraft } from "./commands/rating-drafts.js";
import { setComplianceScale } from "./commands/set-compliance-scale.js";

/** A report read into one reporting period's ratings. */
interface BundledReport {
  /** The bundled document's file name (data/documents/manifest.json). */
  file: string;
  /** The period, named as the report names itself on its first page. */
  period: string;
  /** The report's date, as written on its first page, and as a calendar date. */
  dateAsWritten: string;
  date: string;
  /**
   * Labels the report gives otherwise than the agreement, each with the words its row must
   * hold: corrected only when the row reads so, else left for the log.
   */
  relabel?: Record<string, { label: string; title: string }>;
}

interface BundledMonitoring {
  /** The matter's slug in data/bundle/registry.json. */
  slug: string;
  /** The agreement's bundled document, parsed and accepted as the matter's provisions. */
  agreement: string;
  /** The matter's scale, as its reports word their levels (set when the matter has none and has reports). */
  levels?: ComplianceLevelInput[];
  wording?: RatingWordingName;
  reports: BundledReport[];
}

/** The Suffolk County assessments' four ratings. */
const SUFFOLK_LEVELS: ComplianceLevelInput[] = [
  { code: "pending", label: "Compliance Rating Pending", normalized: null, full: false, rated: false },
  { code: "non_compliance", label: "Non-Compliance", normalized: 0 },
  { code: "partial_compliance", label: "Partial Compliance", normalized: 0.5 },
  { code: "substantial_compliance", label: "Substantial Compliance", normalized: 1, full: true },
];

/** The Fulton County jail monitor's scale, as its second report words it. */
const FULTON_LEVELS: ComplianceLevelInput[] = [
  { code: "not_rated", label: "Not Rated", normalized: null, full: false, rated: false },
  { code: "non_compliance", label: "Non Compliance", normalized: 0 },
  { code: "partial_compliance", label: "Partial Compliance", normalized: 0.5 },
  { code: "substantial_compliance", label: "Substantial Compliance", normalized: 1, full: true },
];

/**
 * The Atlanta special master's findings, as his reports word them (the wording
 * "special-master-findings"): a final finding withheld or deferred is no rating; "cannot find that
 * the City is in compliance" says compliance is not established, not that the City failed to comply.
 */
const ATLANTA_LEVELS: ComplianceLevelInput[] = [
  { code: "deferred", label: "Finding withheld or deferred", normalized: null, full: false, rated: false },
  {
    code: "not_established",
    label: "Compliance not established",
    normalized: null,
    full: false,
    rated: false,
  },
  { code: "non_compliance", label: "Not in substantial compliance", normalized: 0 },
  { code: "substantial_compliance", label: "Substantial compliance", normalized: 1, full: true },
];

const suffolk = (file: string, period: string, dateAsWritten: string, date: string) => ({
  file,
  period,
  dateAsWritten,
  date,
});

/**
 * Agreements bundled with their monitoring: each period is dated by its report (the reports
 * state no period end of their own), label and date as the report's first page gives them.
 */
export const BUNDLED_MONITORING: BundledMonitoring[] = [
  {
    slug: "suffolk-county-scpd-2014",
    agreement: "agreement_2014-01-13.txt",
    levels: SUFFOLK_LEVELS,
    wording: "section-summary",
    reports: [
      suffolk(
        "2016-04-18_89933_third-report-assessing-settlement-agreem.txt",
        "Third Report",
        "April 18, 2016",
        "2016-04-18",
      ),
      suffolk(
        "2017-01-19_89935_fourth-report-assessing-settlement-agree.txt",
        "Fourth Report",
        "January 19, 2017",
        "2017-01-19",
      ),
      suffolk(
        "2017-06-23_95376_fifth-report-assessing-settlement-agreem.txt",
        "Fifth Report",
        "June 23, 2017",
        "2017-06-23",
      ),
      suffolk(
        "2018-03-13_160707_sixth-report-assessing-settlement-agreem.txt",
        "Sixth Report",
        "March 13, 2018",
        "2018-03-13",
      ),
      suffolk(
        "2018-10-11_160706_seventh-report-assessing-settlement-agre.txt",
        "Seventh Report",
        "October 11, 2018",
        "2018-10-11",
      ),
      suffolk(
        "2019-12-18_160705_eighth-report-assessing-settlement-agree.txt",
        "Eighth Report",
        "December 18, 2019",
        "2019-12-18",
      ),
      {
        ...suffolk(
          "2023-01-27_137915_ninth-report-assessing-settlment-agreeme.txt",
          "Ninth Report",
          "January 27, 2023",
          "2023-01-27",
        ),
        // The ninth report's table no longer lists the agreement's III.a (continued delivery of
        // bias-free policing) and letters the rest of §III from a: its "a. Policies and
        // Procedures", "b. Traffic-Stop Data" and "c. Training" are the agreement's III.b
        // ("Policies and procedures"), III.c ("Traffic stop data") and III.d ("Training on
        // bias-free policing"), as the 3rd–8th reports letter them.
        relabel: {
          "III.a": { label: "III.b", title: "Policies and Procedures" },
          "III.b": { label: "III.c", title: "Traffic-Stop Data" },
          "III.c": { label: "III.d", title: "Training" },
        },
      },
    ],
  },
  {
    slug: "fulton-county-jail-2025",
    agreement: "us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.pdf",
    levels: FULTON_LEVELS,
    wording: "provision-blocks",
    reports: [
      {
        file: "monitor_report_2_doc18-1_2026-02-20.txt",
        period: "Monitor's Second Report",
        dateAsWritten: "February 20, 2026",
        date: "2026-02-20",
      },
    ],
  },
  {
    slug: "atlanta-calhoun-v-pennington-2010",
    agreement: "exhibit_a_reforms_2010-12-08.txt",
    levels: ATLANTA_LEVELS,
    wording: "special-master-findings",
    // The September 2016 report's findings are on the 2015 Order's paragraphs, and the October
    // 2017 report makes none: both are bundled as documents, neither is a period of ratings.
    reports: [
      {
        file: "2017-04-12_99483_special-master-quarterly-compliance-report-dated-april-12-2017..txt",
        period: "Special Master Quarterly Compliance Report dated April 12, 2017",
        dateAsWritten: "April 12, 2017",
        date: "2017-04-12",
      },
      {
        file: "2017-07-19_99485_special-master-quarterly-compliance-report-dated-july-14-2017.t.txt",
        period: "Special Master Quarterly Compliance Report dated July 14, 2017",
        dateAsWritten: "July 14, 2017",
        date: "2017-07-14",
      },
    ],
  },
  // Agreements without monitoring in the sources: their provisions only.
  {
    slug: "los-angeles-lawson-v-gates-1995",
    agreement: "1995-03-27_5202_injunctive-relief-agreement.txt",
    reports: [],
  },
  {
    slug: "new-york-davis-v-city-of-new-york-2015",
    agreement: "stipulation_of_settlement_2015-02-04.txt",
    reports: [],
  },
];

const SETTING = "monitoring_loaded";

/** The matter's bundled document of this file name, its text read (now, when not yet). */
async function readDocument(
  database: Database,
  dataDir: string,
  matterId: string,
  file: string,
  limits: ExtractionLimits,
) {
  const doc = await queryOne<{ id: string; status: string }>(
    database.db,
    sql`select id, status from documents where matter_id = ${matterId} and filename = ${file}
        order by created_at limit 1`,
  );
  if (!doc) return null;
  if (doc.status !== "ready") {
    // Read before the server listens, so that its provisions or ratings load with the rest of the
    // first start; its queued job, which would read it again, is done.
    const result = await runExtractionJob(doc.id, {
      db: database.db,
      store: new BlobStore(dataDir),
      limits,
    });
    await database.db.execute(
      sql`update jobs set status = ${result.status === "failed" ? "failed" : "done"}, updated_at = now()
          where document_id = ${doc.id} and status = 'queued'`,
    );
    // The worker that read a PDF (pdf.js and its fonts loaded, some 150 MB) would wait as a spare
    // beside the rest of the loading; the text files after it need no pdf.js.
    if (file.toLowerCase().endsWith(".pdf")) await stopSpareWorker();
    if (result.status !== "done") return null;
  }
  return doc.id;
}

/** Parses the agreement and accepts its provisions: one transaction. */
async function acceptAgreement(ctx: CommandContext, matterId: string, documentId: string) {
  return ctx.db.transaction(async (tx) => {
    const inTx = withDb(ctx, tx);
    const parse = await parseDocument({ documentId }, inTx);
    return acceptProvisions({ key: matterId, parseId: parse.id, version: parse.version }, inTx);
  });
}

/**
 * Reads one report into its period's ratings: one transaction (the period, the draft, its
 * corrections, the ratings). Rows that name no provision of the agreement are dropped and
 * returned for the log, never matched to another.
 */
async function readReport(
  ctx: CommandContext,
  matterId: string,
  documentId: string,
  wording: RatingWordingName,
  report: BundledReport,
) {
  return ctx.db.transaction(async (tx) => {
    const inTx = withDb(ctx, tx);
    const cover = (
      await queryRows<{ text: string }>(
        tx,
        sql`select text from document_pages where document_id = ${documentId} and page <= 2 order by page`,
      )
    )
      .map((p) => p.text)
      .join("\n")
      .replace(/\s+/g, " ")
      .toLowerCase();
    // The period's name and date are the report's own: refuse to load what its text does not say.
    const named = report.period.replace(/^monitor['’]s /i, "").toLowerCase();
    if (!cover.includes(named) || !cover.includes(report.dateAsWritten.toLowerCase()))
      throw appError(
        "import_invalid",
        `${report.file} does not name itself "${report.period}" of ${report.dateAsWritten} on its first pages`,
      );
    const period = await createPeriod(
      { key: matterId, label: report.period, endsOn: report.date, reportDocumentId: documentId },
      inTx,
    );
    const draft = await createRatingDraft(
      documentId,
      { wording: { layout: wording }, period: period.id },
      inTx,
    );
    const unknown: string[] = [];
    const edits: { index: number; label?: string; dropped?: boolean }[] = [];
    draft.items.forEach((item, index) => {
      const fix = report.relabel?.[item.label];
      if (fix && item.quote.replace(/\s+/g, " ").includes(fix.title)) edits.push({ index, label: fix.label });
      else if (!item.provisionId) {
        unknown.push(`${item.label} (page ${item.page}: "${item.quote}")`);
        edits.push({ index, dropped: true });
      }
    });
    let version = draft.version;
    if (edits.length)
      version = (await updateRatingDraft({ id: draft.id, version, patch: { items: edits } }, inTx)).version;
    const accepted = await acceptRatingDraft({ id: draft.id, version }, inTx);
    return { saved: accepted.saved, unknown };
  });
}

/**
 * On the first start: for each bundled agreement with monitoring (BUNDLED_MONITORING), parses
 * and accepts the agreement's bundled document as its matter's provisions, sets the matter's
 * scale, and reads each bundled report into one reporting period's ratings, each with its page
 * of the report as evidence. Runs after the bundled documents are added. A matter that is
 * missing, or already has provisions or periods of its own, is left alone; later starts change
 * nothing. One transaction for the agreement, one per report. `limits`: the extraction's, for
 * the documents it reads (the first start reads with one worker: see loadBundledData).
 */
export async function loadBundledMonitoringOnce(
  database: Database,
  dataDir: string,
  log: (m: string) => void,
  limits: ExtractionLimits = DEFAULT_LIMITS,
) {
  const done = await queryOne(database.db, sql`select 1 from settings where key = ${SETTING}`);
  if (done) return;
  const ctx = systemContext(database.db, "system");
  const loaded: string[] = [];
  for (const bundled of BUNDLED_MONITORING) {
    const matter = await queryOne<{ id: string }>(
      database.db,
      sql`select id from matters where slug = ${bundled.slug}`,
    );
    if (!matter) continue;
    const own = await queryOne<{ n: number }>(
      database.db,
      sql`select (select count(*) from provisions where matter_id = ${matter.id})
            + (select count(*) from reporting_periods where matter_id = ${matter.id}) as n`,
    );
    if (Number(own?.n ?? 0) > 0) continue;
    const agreementId = await readDocument(database, dataDir, matter.id, bundled.agreement, limits);
    if (!agreementId) {
      log(
        `Bundled monitoring of ${bundled.slug} skipped: its agreement ${bundled.agreement} is not readable`,
      );
      continue;
    }
    const accepted = await acceptAgreement(ctx, matter.id, agreementId);
    const scale = await queryOne(
      database.db,
      sql`select 1 from compliance_scales where matter_id = ${matter.id}`,
    );
    if (!scale && bundled.levels)
      await setComplianceScale({ key: matter.id, version: 0, scale: { levels: bundled.levels } }, ctx);
    let ratings = 0;
    let periods = 0;
    for (const report of bundled.reports) {
      const documentId = await readDocument(database, dataDir, matter.id, report.file, limits);
      if (!documentId) {
        log(`Bundled report ${report.file} skipped: it is not a readable document of ${bundled.slug}`);
        continue;
      }
      const read = await readReport(
        ctx,
        matter.id,
        documentId,
        bundled.wording ?? "provision-blocks",
        report,
      );
      for (const row of read.unknown)
        log(`${report.file}: row ${row} names no provision of the agreement; left out`);
      ratings += read.saved;
      periods++;
    }
    loaded.push(`${bundled.slug} (${accepted.total} provisions, ${periods} reports, ${ratings} ratings)`);
  }
  await database.db
    .insert(settingsTable)
    .values({ key: SETTING, value: { at: new Date().toISOString(), loaded } })
    .onConflictDoNothing();
  if (loaded.length) log(`Loaded the bundled monitoring: ${loaded.join("; ")}`);
}
