/**
 * COPS Office Collaborative Reform sites (cops_collaborative_reform_sites.csv): technical
 * assistance matters and their reports.
 */
import type { EventKind, MatterStatus, Source, StateCode } from "@accord/domain";
import { addEvent, type Ctx, infer, newMatter, relate, sourcesForDate } from "./context.js";
import { compiledDate, slugify, stateCode, yearOf } from "./shared.js";
import { parseSourcesColumn } from "./sources-column.js";

/** Adds (or finds) the jurisdiction and agency of a row; the build passes its own, bound to its context. */
export type DoAgency = (
  agencyName: string | null,
  cityText: string,
  state: StateCode,
  sources: Source[],
) => { jurisdiction: string; agencies: string[] };

/** One site: a technical-assistance matter, its status after the 2017-09-15 program change, and its dated reports. */
export function addCollaborativeReform(ctx: Ctx, r: Record<string, string>, doAgency: DoAgency): void {
  const raw = (r.agency ?? "").trim();
  const sources = parseSourcesColumn(r.sources ?? "");
  const state = stateCode(r.state ?? "", raw);
  const isAgency = !/\(/.test(raw);
  const agencyName = isAgency ? raw : null;
  const { jurisdiction, agencies } = doAgency(agencyName, (r.city ?? "").trim(), state, sources);
  const program = (r.program ?? "").trim();
  const d = (k: string) => compiledDate(r[k], `${raw} ${k}`);
  const requested = d("requested");
  const launched = d("launched_or_announced");
  const initial = d("initial_assessment_report");
  const progress = d("six_month_progress_report");
  const final = d("final_or_interim_final_report");
  const ended = d("end_date");
  const change = (r.status_after_2017_09_15_change ?? "").trim();

  const notes = (r.notes ?? "").trim();
  // The status the row states after the 2017-09-15 change; a launch or a report alone does not
  // say whether the assistance went on, so such a site's status is "unknown".
  let status: MatterStatus;
  let rule: string | null = null;
  if (/^completed/.test(change)) status = "completed";
  else if (/^(superseded|ended|halted|disbanded)|withdrew/.test(change)) status = "discontinued";
  else if (/about to begin/.test(change)) status = "requested";
  else if (change !== "") status = "unknown";
  else if (launched || initial || progress || final) status = "unknown";
  else if (requested) {
    status = "requested";
    rule = `A request date (${requested}) and no later stage stated → requested.`;
  } else status = "unknown";
  const statusNote = change
    ? `After the 2017-09-15 program change: ${change}`
    : launched || initial || progress || final || /\breport\b/i.test(notes)
      ? "No later status stated in the sources consulted."
      : null;

  const subject = agencyName ?? raw;
  const startYear = yearOf(launched ?? requested ?? initial);
  const cri = /^Collaborative Reform Initiative\b/.test(program);
  const slug = `${slugify(subject.replace(/\s*\(.*\)$/, ""))}-${cri ? "collaborative-reform" : "technical-assistance"}${startYear ? `-${startYear}` : ""}`;
  const programLabel = program || "COPS technical assistance (program type not verified)";
  const summaryParts = [
    `Program: ${programLabel}.`,
    r.assessment_provider ? `Assessment provider: ${r.assessment_provider}.` : "",
    r.cooperative_agreement ? `Cooperative agreement: ${r.cooperative_agreement}.` : "",
    r.findings ? `Initial assessment: ${r.findings} findings, ${r.recommendations} recommendations.` : "",
    notes,
  ];
  const matter = newMatter(ctx, {
    slug,
    kind: "technical_assistance",
    status,
    title: `${cri ? "Collaborative Reform" : "Technical assistance"}: ${subject}`,
    summary: summaryParts.filter((s) => s !== "").join(" "),
    jurisdiction,
    agencies,
    authority: null,
    openedOn: launched ?? requested,
    findingsOn: cri ? initial : null,
    agreementOn: null,
    enteredOn: null,
    endedOn: status === "completed" || status === "discontinued" ? ended : null,
    statusNote,
    sources,
  });
  if (rule) infer(matter, "status", rule);
  const ev = (kind: EventKind, date: string | null, title: string) => {
    if (date)
      addEvent(ctx, {
        matter: slug,
        kind,
        date,
        title,
        description: null,
        actor: null,
        sources: sourcesForDate(sources, date),
      });
  };
  ev("other", requested, `${subject}: technical assistance requested`);
  ev(
    "other",
    launched,
    `${subject}: ${cri ? "collaborative reform" : "technical assistance"} launched or announced`,
  );
  if (cri) ev("findings_issued", initial, `${subject}: initial assessment report released`);
  else ev("other", initial, `${subject}: report released`);
  ev("other", progress, `${subject}: six-month progress report released`);
  ev("other", final, `${subject}: final (or interim final) report released`);
  if (ended && ended !== final && (status === "completed" || status === "discontinued"))
    ev("other", ended, `${subject}: ${status === "completed" ? "completed" : "ended"}`);
  if (raw === "Baltimore Police Department" && /pattern-or-practice/.test(change)) {
    const inv = [...ctx.matters.values()].find(
      (m) => m.kind === "pattern_or_practice_investigation" && m.agencies.includes(agencies[0] ?? ""),
    );
    if (inv) relate(matter, inv.slug, "related");
  }
}
