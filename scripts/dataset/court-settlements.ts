/**
 * Three private civil suits settled with court enforcement, bundled with their agreements' text
 * (data/documents/): Calhoun v. Pennington (Atlanta), Lawson v. Gates (Los Angeles) and Davis v.
 * City of New York. None is a federal action: the United States is no party, and no statute of
 * federal enforcement applies (authority stays empty); each summary says so, as the Chicago state
 * decree's does. Every field is read from the filings copied into data/documents/ (or, for Lawson's
 * filing date, the Clearinghouse's case record in ../shared/data), cited in the matter's sources;
 * a value no filing states is null, and no status is stated, so each is "unknown".
 */
import type { Source, StateCode } from "@accord/domain";
import type { Ctx } from "./context.js";
import { addEvent, newMatter } from "./context.js";
import { ensureAgency, ensureJurisdiction } from "./jurisdictions.js";

/** The matters this file adds, by slug. */
export const COURT_SETTLEMENTS: readonly string[] = [
  "atlanta-calhoun-v-pennington-2010",
  "los-angeles-lawson-v-gates-1995",
  "new-york-davis-v-city-of-new-york-2015",
];

const doc = (file: string, note: string): Source => ({ citation: `data/documents/${file}`, note });

const ATLANTA_ORDER = "order_approving_settlement_2010-12-08.txt";
const ATLANTA_EXHIBIT = "exhibit_a_reforms_2010-12-08.txt";
const ATLANTA_DOCKET = "calhoun_v_pennington_docket_2019-11-13.txt";
const ATLANTA_REPORT = "2017-07-19_99485_special-master-quarterly-compliance-report-dated-july-14-2017.t.txt";
const LAWSON_SETTLEMENT = "1995-03-27_5198_settlement-and-injunctive-relief-agreement.txt";
const LAWSON_INJUNCTIVE = "1995-03-27_5202_injunctive-relief-agreement.txt";
const DAVIS = "stipulation_of_settlement_2015-02-04.txt";

/** Adds the three matters, their places and agencies, and the events their filings date. */
export function addCourtSettlements(ctx: Ctx, fipsByCode: Map<StateCode, string>): void {
  const place = (name: string, state: StateCode, sources: Source[]) =>
    ensureJurisdiction(ctx, { name, kind: "city", state }, sources, fipsByCode);

  // ---- Calhoun v. Pennington (N.D. Ga.)
  const orderSource = doc(
    ATLANTA_ORDER,
    "Order, Doc. 265, filed 12/08/10: approves the settlement, incorporates the reforms of Exhibit A, retains jurisdiction; signed by Timothy C. Batten, Sr., United States District Judge, on the 8th day of December, 2010",
  );
  const exhibitSource = doc(
    ATLANTA_EXHIBIT,
    "Exhibit A: Reforms of the Atlanta Police Department, Doc. 265-1, filed 12/08/10",
  );
  const docketSource = doc(
    ATLANTA_DOCKET,
    "Civil docket for case 1:09-cv-03286-TCB as of 2019-11-13: Date Filed 11/24/2009; Date Terminated 12/08/2010; Special Master Joe D. Whitley, TERMINATED: 10/10/2019",
  );
  const reportSource = doc(
    `../monitoring/atlanta_special_master/${ATLANTA_REPORT}`,
    "Special Master Quarterly Compliance Report dated July 14, 2017, Doc. 346: Joe D. Whitley appointed Special Master on June 22, 2016 (Doc. 309)",
  );
  const atlanta = place("Atlanta", "GA", [exhibitSource]);
  const apd = ensureAgency(ctx, "Atlanta Police Department", atlanta, [exhibitSource]);
  const calhoun = newMatter(ctx, {
    slug: "atlanta-calhoun-v-pennington-2010",
    kind: "settlement_agreement",
    status: "unknown",
    title: "Calhoun v. Pennington settlement (Atlanta Police Department reforms)",
    summary:
      "Not a federal action: a private civil-rights suit (42 U.S.C. § 1983, per the docket) by patrons and owners of the Atlanta Eagle against officers and the City of Atlanta, settled. The court's order of December 8, 2010 approved the settlement agreement (a payment of $1,025,000 and the City's implementation of the reforms of Exhibit A, incorporated in the order), found that each plaintiff was unlawfully searched, detained and/or arrested on September 10-11, 2009 at the Atlanta Eagle, and retained jurisdiction. A special master was appointed on June 22, 2016 to monitor compliance.",
    jurisdiction: atlanta,
    agencies: [apd],
    authority: null,
    court: "U.S. District Court for the Northern District of Georgia, Atlanta Division",
    caseNumber: "1:09-cv-03286-TCB",
    judge: "Timothy C. Batten, Sr.",
    monitor: "Joe D. Whitley (special master)",
    openedOn: "2009-11-24",
    findingsOn: null,
    agreementOn: null,
    enteredOn: "2010-12-08",
    endedOn: null,
    statusNote:
      "No source states the settlement's status. The docket as of 2019-11-13 marks the case closed (terminated 12/08/2010, the day the settlement was approved) and the special master's role terminated on 10/10/2019.",
    sources: [orderSource, exhibitSource, docketSource, reportSource],
  });
  addEvent(ctx, {
    matter: calhoun.slug,
    kind: "complaint_filed",
    date: "2009-11-24",
    title: `${calhoun.title}: complaint filed`,
    description: null,
    actor: null,
    sources: [docketSource],
  });
  addEvent(ctx, {
    matter: calhoun.slug,
    kind: "decree_entered",
    date: "2010-12-08",
    title: `${calhoun.title}: approved by the court`,
    description:
      "The court approves the settlement agreement and incorporates the reforms of Exhibit A in its order (Doc. 265).",
    actor: "Timothy C. Batten, Sr., United States District Judge",
    sources: [orderSource],
  });

  // ---- Lawson v. Gates (Superior Court, Los Angeles County)
  const lawsonSource = doc(
    LAWSON_SETTLEMENT,
    "Settlement and Injunctive Relief Agreement, Reverend Dr. James M. Lawson, et al. v. Police Chief Daryl Gates, et al., Superior Court of the State of California for the County of Los Angeles, Case No. BC 031 232 (with related cases); signature lines dated February and March, 1995",
  );
  const injunctiveSource = doc(
    LAWSON_INJUNCTIVE,
    "Injunctive Relief Agreement: policies governing the Los Angeles Police Department's use of search canines; enforceable by an action for specific performance or injunctive relief (¶ 29)",
  );
  const metaSource: Source = {
    citation:
      "Civil Rights Litigation Clearinghouse, case 1022 (case record in ../shared/data/decrees/lapd_lawson_v_gates_1995/case_meta.json)",
    url: "https://clearinghouse.net/case/1022",
    note: "filing_date 1991-07-24; court: California state trial court",
  };
  const losAngeles = place("Los Angeles", "CA", [injunctiveSource]);
  const lapd = ensureAgency(ctx, "Los Angeles Police Department", losAngeles, [injunctiveSource]);
  newMatter(ctx, {
    slug: "los-angeles-lawson-v-gates-1995",
    kind: "settlement_agreement",
    status: "unknown",
    title: "Lawson v. Gates settlement (LAPD police dogs)",
    summary:
      "Not a federal action: a private suit in state court by Reverend Dr. James M. Lawson and others against Police Chief Daryl Gates and others, settled together with related cases against the City of Los Angeles over the Police Department's use of police dogs. The Injunctive Relief Agreement sets the policies governing the use of search canines; its terms are enforceable by an action for specific performance or injunctive relief after the parties meet and confer (¶ 29).",
    jurisdiction: losAngeles,
    agencies: [lapd],
    authority: null,
    court: "Superior Court of the State of California for the County of Los Angeles",
    caseNumber: "BC 031 232",
    judge: null,
    monitor: null,
    openedOn: "1991-07-24",
    findingsOn: null,
    agreementOn: "1995-03",
    enteredOn: null,
    endedOn: null,
    statusNote: "No source states the agreement's status.",
    sources: [lawsonSource, injunctiveSource, metaSource],
    inferred: [
      {
        field: "agreementOn",
        rule: 'The month of the last signature lines ("DATED: March , 1995"); the day is blank in the filing.',
      },
    ],
  });

  // ---- Davis v. City of New York (S.D.N.Y.)
  const davisSource = doc(
    DAVIS,
    "Stipulation of Settlement and Order, Davis v. City of New York, 10 Civ. 0699 (SAS), S.D.N.Y., Doc. 330 filed 02/04/15 (first filed as Doc. 322-1 on 01/07/15); complaint filed January 28, 2010; dated January 7, 2015",
  );
  const nyc = place("New York City", "NY", [davisSource]);
  const nypd = ensureAgency(ctx, "New York City Police Department", nyc, [davisSource]);
  const davis = newMatter(ctx, {
    slug: "new-york-davis-v-city-of-new-york-2015",
    kind: "settlement_agreement",
    status: "unknown",
    title: "Davis v. City of New York settlement (NYPD trespass enforcement in NYCHA residences)",
    summary:
      "Not a federal action: a private class action (Kelton Davis, et al. v. The City of New York and New York City Housing Authority) over the NYPD's stops and trespass arrests in and around NYCHA residences, settled by a Stipulation of Settlement and Order subject to the court's approval. Its exhibits hold the Floyd remedies opinion and revised Patrol Guide sections and forms.",
    jurisdiction: nyc,
    agencies: [nypd],
    authority: null,
    court: "U.S. District Court for the Southern District of New York",
    caseNumber: "1:10-cv-00699",
    judge: null,
    monitor: null,
    openedOn: "2010-01-28",
    findingsOn: null,
    agreementOn: "2015-01-07",
    enteredOn: null,
    endedOn: null,
    statusNote: "No source states the settlement's status or the date the court approved it.",
    sources: [davisSource],
  });
  addEvent(ctx, {
    matter: davis.slug,
    kind: "complaint_filed",
    date: "2010-01-28",
    title: `${davis.title}: complaint filed`,
    description: null,
    actor: null,
    sources: [davisSource],
  });
  addEvent(ctx, {
    matter: davis.slug,
    kind: "agreement_signed",
    date: "2015-01-07",
    title: `${davis.title}: signed and filed`,
    description:
      "The Stipulation of Settlement and Order, dated January 7, 2015, filed as Doc. 322-1 (refiled as Doc. 330 on February 4, 2015).",
    actor: null,
    sources: [davisSource],
  });
}
