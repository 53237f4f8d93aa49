/**
 * Hand-checked facts and corrections, keyed by compiled case id (or, for the policy timeline, by
 * date). Each one is stated in the row it applies to; the build checks that where it can.
 */
import type { EventKind, Source } from "@accord/domain";
import { DOJ } from "./shared.js";

/**
 * Court, case number, caption and judge, each stated verbatim in that row's notes (`stated` is
 * the text checked against the notes; the court is the spelled-out form of its abbreviation).
 */
export const COURT_FACTS: Record<
  string,
  {
    caption?: string;
    court?: string;
    courtStated?: string;
    caseNumber?: string;
    judge?: string;
    /**
     * What the row's notes (or partial_terminations) say this judge did, by event kind, in the
     * words checked against the row. Only these events name the judge as their actor; the
     * judge of the case is not assumed to be the judge of every act in it.
     */
    acts?: Partial<Record<EventKind, string>>;
  }
> = {
  "baltimore-bpd-2017": {
    judge: "James K. Bredar",
    acts: { decree_entered: "Judge James K. Bredar entered it" },
  },
  "chicago-cpd-state-2019": {
    caption: "Illinois v. City of Chicago",
    court: "U.S. District Court for the Northern District of Illinois",
    courtStated: "N.D. Ill.",
    caseNumber: "1:17-cv-06260",
    judge: "Robert M. Dow Jr.",
  },
  "ferguson-fpd-2016": {
    court: "U.S. District Court for the Eastern District of Missouri",
    courtStated: "E.D. Mo.",
    caseNumber: "4:16-cv-00180",
    judge: "Catherine Perry",
    acts: { decree_entered: "Judge Catherine Perry approved" },
  },
  "cleveland-cdp-2015": {
    caption: "United States v. City of Cleveland",
    court: "U.S. District Court for the Northern District of Ohio",
    courtStated: "N.D. Ohio",
    caseNumber: "1:15-cv-01046",
    judge: "Solomon Oliver Jr.",
  },
  "albuquerque-apd-2014": {
    court: "U.S. District Court for the District of New Mexico",
    courtStated: "D.N.M.",
    caseNumber: "1:14-cv-01025",
    judge: "James O. Browning",
  },
  "seattle-spd-2012": {
    judge: "James L. Robart",
    acts: { partial_termination: "Judge Robart terminated most provisions" },
  },
  "new-orleans-nopd-2013": {
    judge: "Susie Morgan",
    acts: { termination: "Morgan signed dissolution order" },
  },
  "newark-npd-2016": {
    caption: "United States v. City of Newark",
    court: "U.S. District Court for the District of New Jersey",
    courtStated: "D.N.J.",
    caseNumber: "2:16-cv-01731",
    judge: "Madeline Cox Arleo",
  },
  "minneapolis-mpd-doj-2025": {
    caption: "United States v. City of Minneapolis",
    court: "U.S. District Court for the District of Minnesota",
    courtStated: "D. Minn.",
    caseNumber: "0:25-cv-00048",
    judge: "Paul Magnuson",
    acts: { dismissal: "Judge Paul Magnuson granted dismissal" },
  },
  "minneapolis-mpd-mdhr-2023": {
    court: "State court (Hennepin County)",
    courtStated: "Hennepin County",
    judge: "Karen Janisch",
    acts: { decree_entered: "approved by Hennepin County Judge Karen Janisch" },
  },
  "louisville-lmpd-doj-2024": {
    court: "U.S. District Court for the Western District of Kentucky",
    courtStated: "W.D. Ky.",
    judge: "Benjamin Beaton",
    acts: { dismissal: "Judge Benjamin Beaton (W.D. Ky.) dismissed" },
  },
  "fulton-county-jail-2025": {
    caption: "United States v. Fulton County",
    court: "U.S. District Court for the Northern District of Georgia",
    courtStated: "N.D. Ga.",
    caseNumber: "1:25-cv-00024-LMM",
  },
};

/** Agency names that the compiled row gives in parentheses rather than first. */
export const AGENCY_NAME_OVERRIDES: Record<string, string> = {
  "colorado-city-az-2012": "Colorado City Marshal's Office",
};

/** Part of an agency a matter concerned, kept in titles (stated in the compiled agency cell). */
export const TITLE_QUALIFIERS: Record<string, string> = {
  "lasd-antelope-valley-2015": "Antelope Valley",
  "springfield-spd-2022": "Narcotics Bureau",
};

/** Authority of the investigation or agreement when the compiled row states one other than 12601. */
export const AUTHORITY_OVERRIDES: Record<string, string> = {
  "fulton-county-jail-2025": "CRIPA, ADA, IDEA and 34 U.S.C. 12601",
};

export interface ExtraEvent {
  on: "investigation" | "agreement";
  kind: EventKind;
  date: string;
  title: string;
  description?: string;
  actor?: string;
  /** The words of the row that state the date, when they are not the date itself. */
  stated?: string;
}

/**
 * An event of a compiled row corrected from a public page the compiled row does not cite (the
 * row's own date or actor is wrong). The event cites these sources only; each note gives the
 * words of the page that state the fact.
 */
export interface CheckedEventFact {
  /** For an event the compiled row does not make (its own date is wrong). */
  title?: string;
  date: string;
  actor: string | null;
  description: string | null;
  sources: Source[];
}

/** Corrections of a compiled row's events, by compiled id and event kind. */
export const CHECKED_EVENT_FACTS: Record<string, Partial<Record<EventKind, CheckedEventFact>>> = {
  "albuquerque-apd-2014": {
    decree_entered: {
      date: "2015-06-02",
      actor: "Judge Robert C. Brack",
      description:
        "Judge Robert C. Brack approved the settlement agreement and entered it as an order of the court (the compiled table gives only the year, and names James O. Browning, who presided over the case later).",
      sources: [
        {
          citation:
            "United States v. City of Albuquerque, No. CIV 14-1025 RB/KK (D.N.M. June 2, 2015), Memorandum Opinion and Order (Casetext copy)",
          url: "http://print.casetext.com/case/united-states-v-city-of-albuquerque-10",
          note: "Dated 2015-06-02: 'the Court APPROVES the Settlement Agreement and enters it as an Order of the Court.'",
        },
        {
          citation:
            "Associated Press, 'Federal judge signs Albuquerque police reform settlement', 2015-06-02 (KTAR copy)",
          url: "https://ktar.com/story/469515/federal-judge-signs-albuquerque-police-reform-settlement/",
          note: "'The agreement approved by U.S. District Judge Robert C. Brack'; dated Jun 2, 2015 ('on Tuesday approved').",
        },
      ],
    },
  },
  "seattle-spd-2012": {
    order: {
      title: "Finding of full and effective compliance",
      date: "2018-01-10",
      actor: "Judge James L. Robart",
      description:
        "The court granted the City's motion and found it in full and effective compliance with the consent decree, starting the two-year Phase II sustainment period. The compiled table dates this finding 2019; the court's order is of 2018-01-10. The compiled table also says the finding was later partly reversed over the police guild contract; the date of that ruling is not in the sources read.",
      sources: [
        {
          citation:
            "U.S. Attorney's Office, W.D. Wash., 'Statement of U.S. Attorney on Court's Decision to Grant City of Seattle's Motion for Full and Effective Compliance with the Consent Decree', 2018-01-10",
          url: "https://www.justice.gov/usao-wdwa/pr/statement-us-attorney-court-s-decision-grant-city-seattle-s-motion-full-and-effective",
          note: "Dated Wednesday, January 10, 2018: 'Today, U.S. District Court Judge James L. Robart granted the City of Seattle's Motion for Full and Effective Compliance with the Consent Decree.'",
        },
        {
          citation:
            "United States v. City of Seattle, No. 2:12-cv-01282-JLR (W.D. Wash.), Order finding initial compliance with the consent decree, Dkt. 439 (Justia Dockets copy)",
          url: "https://docs.justia.com/cases/federal/district-courts/washington/wawdce/2:2012cv01282/186032/439",
          note: "Grants the City's motion to declare it in full and effective compliance; the court's order of 2018-03-13 (Dkt. 448) cites it as '1/10/18 Order (Dkt. # 439)'.",
        },
      ],
    },
  },
};

/** Dated facts stated in a compiled row's notes / status / partial_terminations text. */
export const EXTRA_EVENTS: Record<string, ExtraEvent[]> = {
  "baltimore-bpd-2017": [
    {
      on: "agreement",
      kind: "ruling",
      date: "2017-04-07",
      title: "Court denies DOJ's request for a 30-day delay",
      description:
        "Denied when the decree was entered. A separate request from DOJ's request of 2017-04-03 to postpone the hearing; the sources give the date of the ruling, not the day the 30-day delay was asked.",
      actor: "Judge James K. Bredar",
      stated: "Judge James K. Bredar entered it 2017-04-07 and denied DOJ's request for a 30-day delay",
    },
  ],
  "chicago-cpd-state-2019": [
    {
      on: "agreement",
      kind: "complaint_filed",
      date: "2017-08-29",
      title: "State of Illinois sues the City of Chicago (Illinois v. City of Chicago)",
      actor: "State of Illinois (Attorney General)",
    },
    {
      on: "agreement",
      kind: "other",
      date: "2018-07-27",
      title: "Draft consent decree released for public comment",
    },
  ],
  "ferguson-fpd-2016": [
    {
      on: "agreement",
      kind: "other",
      date: "2016-02-09",
      title: "Ferguson City Council rejects the negotiated consent decree",
      actor: "Ferguson City Council",
    },
    {
      on: "agreement",
      kind: "complaint_filed",
      date: "2016-02-10",
      title: "DOJ sues the City of Ferguson (No. 4:16-cv-00180, E.D. Mo.)",
      actor: DOJ,
    },
    {
      on: "agreement",
      kind: "other",
      date: "2016-03-15",
      title: "Ferguson City Council approves the consent decree",
      actor: "Ferguson City Council",
    },
  ],
  "cleveland-cdp-2015": [
    {
      on: "agreement",
      kind: "complaint_filed",
      date: "2015-05-25",
      title: "Complaint and joint motion filed",
      description:
        "Date as given by the Civil Rights Litigation Clearinghouse; the agreement was announced 2015-05-26.",
    },
  ],
  "albuquerque-apd-2014": [
    {
      on: "agreement",
      kind: "motion",
      date: "2025-05-09",
      title: "Joint motion to terminate the settlement agreement filed",
    },
  ],
  "new-orleans-nopd-2013": [
    {
      on: "agreement",
      kind: "motion",
      date: "2025-09-04",
      title: "DOJ and City file indicative-ruling motion",
      description: "Filed while the City's appeal of the sustainment ruling was pending.",
    },
  ],
  "minneapolis-mpd-doj-2025": [
    {
      on: "agreement",
      kind: "motion",
      date: "2025-05-21",
      title: "DOJ withdraws support for the decree and moves to dismiss",
      actor: DOJ,
    },
  ],
  "louisville-lmpd-doj-2024": [
    {
      on: "agreement",
      kind: "motion",
      date: "2025-05-21",
      title: "DOJ moves to dismiss (the city did not oppose)",
      actor: DOJ,
    },
  ],
  "fulton-county-jail-2025": [
    {
      on: "investigation",
      kind: "other",
      date: "2024-04",
      title: "Investigation expanded under 34 U.S.C. 12601",
      stated: "expanded April 2024",
      description: "Per decree para. 5.",
      actor: DOJ,
    },
    {
      on: "agreement",
      kind: "monitor_report",
      date: "2026-02-20",
      title: "Monitor's Second Report filed",
    },
  ],
};

/** What the agreement_signed_or_filed date is, where the row's notes say. */
export const SIGNED_NOTES: Record<string, string> = {
  "chicago-cpd-state-2019": "Revised decree filed (a draft had been released for comment 2018-07-27).",
  "cleveland-cdp-2015": "105-page agreement announced.",
  "ferguson-fpd-2016": "Filing date as given in the Marshall Project table (agreement_date).",
  "minneapolis-mpd-doj-2025":
    "Case filed with the proposed decree; the City Council and Mayor approved its terms the same day.",
  "louisville-lmpd-doj-2024": "Decree signed in December 2024 (day not verified in the sources read).",
};

/** A partial_terminations entry that is not a partial termination. */
export const PARTIAL_OVERRIDES: Record<string, { kind: EventKind; title: string }> = {
  "new-orleans-nopd-2013": {
    kind: "order",
    title: "Court places NOPD in a two-year sustainment period rather than terminating the decree",
  },
};

/**
 * Policy rows about exactly one matter in the registry: attach to it (by compiled id and which
 * of its matters). An existing event of the same date and kind takes the row's sources instead.
 */
export const POLICY_ATTACH: Record<
  string,
  {
    id: string;
    on: "investigation" | "agreement";
    kind?: EventKind;
    title?: string;
    /** Other events of that matter on that date the row also gives (its sources are added to them). */
    also?: EventKind[];
  }
> = {
  "2017-04-03": {
    id: "baltimore-bpd-2017",
    on: "agreement",
    title: "DOJ asks the court to postpone the consent-decree hearing",
  },
  "2017-04-07": { id: "baltimore-bpd-2017", on: "agreement", kind: "decree_entered", also: ["ruling"] },
  "2021-04-21": { id: "minneapolis-mpd-doj-2025", on: "investigation" },
  "2022-04-13": { id: "springfield-spd-2022", on: "agreement" },
  "2025-05-27": { id: "minneapolis-mpd-doj-2025", on: "agreement", kind: "dismissal" },
  "2025-12-31": { id: "louisville-lmpd-doj-2024", on: "agreement", kind: "dismissal" },
};

/** What the court did when it entered or approved a decree, where the row's notes say. */
export const ENTERED_NOTES: Record<string, string> = {
  "baltimore-bpd-2017": "Judge James K. Bredar entered the decree.",
  "ferguson-fpd-2016": "Judge Catherine Perry approved the decree.",
};

/** What came with the findings, where the row's notes say. */
export const FINDINGS_NOTES: Record<string, string> = {
  "chicago-cpd-doj-2017": "Findings released with a city-DOJ 'statement of agreement' to negotiate remedies.",
};
