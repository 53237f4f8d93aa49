/**
 * The fixed vocabularies of the registry. Each list is the single source of truth: the database
 * stores these strings, the API validates against them and the UI labels them.
 */

export const MATTER_KINDS = [
  "pattern_or_practice_investigation",
  "consent_decree",
  "settlement_agreement",
  "memorandum_of_agreement",
  "technical_assistance",
  "grant",
  "task_force",
  "collaborative_investigation",
  "compliance_review",
  "lawsuit",
] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];

export const MATTER_KIND_LABELS: Record<MatterKind, string> = {
  pattern_or_practice_investigation: "Pattern-or-practice investigation",
  consent_decree: "Consent decree",
  settlement_agreement: "Settlement agreement",
  memorandum_of_agreement: "Memorandum of agreement",
  technical_assistance: "Technical assistance",
  grant: "Grant",
  task_force: "Task force",
  collaborative_investigation: "Collaborative investigation or prosecution",
  compliance_review: "Compliance review",
  lawsuit: "Lawsuit",
};

/** Kinds that are agreements with obligations: they are entered, monitored and terminated. */
export const AGREEMENT_KINDS: readonly MatterKind[] = [
  "consent_decree",
  "settlement_agreement",
  "memorandum_of_agreement",
];

export const MATTER_STATUSES = [
  // investigations and reviews
  "open",
  "findings_issued",
  "in_litigation",
  "resolved_by_agreement",
  "closed_without_agreement",
  "findings_withdrawn",
  // agreements
  "proposed",
  "active",
  "partially_terminated",
  "terminated",
  "dismissed",
  // technical assistance, grants, task forces
  "requested",
  "awarded",
  "withheld",
  "completed",
  "discontinued",
  "closed",
  // any kind: the sources do not say
  "unknown",
] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];

export const MATTER_STATUS_LABELS: Record<MatterStatus, string> = {
  open: "Open",
  findings_issued: "Findings issued",
  in_litigation: "In litigation",
  resolved_by_agreement: "Resolved by agreement",
  closed_without_agreement: "Closed without agreement",
  findings_withdrawn: "Findings withdrawn",
  proposed: "Proposed",
  active: "Active",
  partially_terminated: "Partially terminated",
  terminated: "Terminated",
  dismissed: "Dismissed",
  requested: "Requested",
  awarded: "Awarded",
  withheld: "Withheld",
  completed: "Completed",
  discontinued: "Discontinued",
  closed: "Closed",
  unknown: "Unknown",
};

export const JURISDICTION_KINDS = ["city", "county", "state", "territory", "tribal", "other"] as const;
export type JurisdictionKind = (typeof JURISDICTION_KINDS)[number];

export const AGENCY_KINDS = [
  "police",
  "sheriff",
  "state_police",
  "campus_police",
  "jail",
  "prosecutor",
  "other",
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  police: "Police department",
  sheriff: "Sheriff's office",
  state_police: "State police",
  campus_police: "Campus police",
  jail: "Jail or corrections",
  prosecutor: "Prosecutor's office",
  other: "Other",
};

export const EVENT_KINDS = [
  "investigation_opened",
  "findings_issued",
  "findings_withdrawn",
  "complaint_filed",
  "agreement_signed",
  "decree_entered",
  "hearing",
  "motion",
  "order",
  "monitor_report",
  "modification",
  "partial_termination",
  "termination",
  "dismissal",
  "investigation_closed",
  "memo",
  "statute",
  "executive_order",
  "policy_action",
  "status_snapshot",
  "ruling",
  "letter",
  "grant_action",
  "other",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  investigation_opened: "Investigation opened",
  findings_issued: "Findings issued",
  findings_withdrawn: "Findings withdrawn",
  complaint_filed: "Complaint filed",
  agreement_signed: "Agreement signed or filed",
  decree_entered: "Decree entered",
  hearing: "Hearing",
  motion: "Motion",
  order: "Order",
  monitor_report: "Monitor report",
  modification: "Modification",
  partial_termination: "Partial termination",
  termination: "Termination",
  dismissal: "Dismissal",
  investigation_closed: "Investigation closed",
  memo: "Memo",
  statute: "Statute",
  executive_order: "Executive order",
  policy_action: "Policy action",
  status_snapshot: "Status snapshot",
  ruling: "Ruling",
  letter: "Letter",
  grant_action: "Grant action",
  other: "Other",
};

/** Whom a court's ruling favoured. */
export const RULING_FAVORS = ["plaintiff", "defendant", "mixed", "neither"] as const;
export type RulingFavors = (typeof RULING_FAVORS)[number];

export const RULING_FAVORS_LABELS: Record<RulingFavors, string> = {
  plaintiff: "Plaintiff",
  defendant: "Defendant (the department)",
  mixed: "Mixed",
  neither: "Neither",
};

/** Status of an event that is scheduled, such as a hearing. */
export const EVENT_STATUSES = ["scheduled", "held", "postponed", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const MATTER_RELATIONS = ["led_to", "related"] as const;
export type MatterRelation = (typeof MATTER_RELATIONS)[number];

export const US_STATE_CODES = [
  "AL",
  "AK",
  "AZ",
  "AR",
  "CA",
  "CO",
  "CT",
  "DE",
  "DC",
  "FL",
  "GA",
  "HI",
  "ID",
  "IL",
  "IN",
  "IA",
  "KS",
  "KY",
  "LA",
  "ME",
  "MD",
  "MA",
  "MI",
  "MN",
  "MS",
  "MO",
  "MT",
  "NE",
  "NV",
  "NH",
  "NJ",
  "NM",
  "NY",
  "NC",
  "ND",
  "OH",
  "OK",
  "OR",
  "PA",
  "RI",
  "SC",
  "SD",
  "TN",
  "TX",
  "UT",
  "VT",
  "VA",
  "WA",
  "WV",
  "WI",
  "WY",
  "PR",
  "VI",
  "GU",
  "AS",
  "MP",
] as const;
export type StateCode = (typeof US_STATE_CODES)[number];
