import { z } from "zod";

/**
 * The audit log's closed vocabulary: every action Accord records, the kind of record it is
 * about and the shape of what it keeps. The server writes only these (`recordAudit` checks the
 * entry against its action's schema in the change's own transaction); the web lists and names
 * them from here.
 */

/** The kinds of record an audit entry is about. */
export const AUDIT_ENTITIES = [
  "matter",
  "event",
  "jurisdiction",
  "agency",
  "document",
  "decree_parse",
  "rating_draft",
  "provision",
  "provision_deadline",
  "reporting_period",
  "review",
  "review_cycle",
  "user",
  "api_token",
  "calendar_feed_token",
  "award",
  "condition",
  "program_fact",
  "stat_source",
  "webhook",
  "saved_search",
  "import",
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const AUDIT_ENTITY_LABELS: Record<AuditEntity, string> = {
  matter: "Matter",
  event: "Event",
  jurisdiction: "Jurisdiction",
  agency: "Agency",
  document: "Document",
  decree_parse: "Decree parse",
  rating_draft: "Ratings read from a report",
  provision: "Provision",
  provision_deadline: "Deadline",
  reporting_period: "Reporting period",
  review: "Review",
  review_cycle: "Review cycle",
  user: "User",
  api_token: "API token",
  calendar_feed_token: "Calendar feed",
  award: "Grant award",
  condition: "Grant condition",
  program_fact: "Program fact",
  stat_source: "Statistics source",
  webhook: "Webhook",
  saved_search: "Saved search",
  import: "Import",
};

/** A record as it was or became: an object, or null where there was none. */
const Snapshot = z.unknown();
const Required = z.unknown().refine((v) => v !== undefined, "Required");
const Absent = z.undefined().optional();

/** What each kind of change keeps: a creation its result, a deletion what was deleted… */
const created = { before: Absent, after: Required };
const updated = { before: Required, after: Required };
const deleted = { before: Required, after: Absent };
const changed = { before: Snapshot.optional(), after: Snapshot.optional() };
const nothing = { before: Absent, after: Absent };

const StatusMove = z.looseObject({ status: z.string() });

/** Each action: the record it is about, its words, and what its entry keeps. */
const ACTIONS = {
  MATTER_CREATED: { entity: "matter", label: "Matter created", ...created },
  MATTER_UPDATED: { entity: "matter", label: "Matter updated", ...updated },
  MATTER_DELETED: { entity: "matter", label: "Matter deleted", ...deleted },
  MATTER_RELATED: { entity: "matter", label: "Matters related", ...updated },
  MATTER_UNRELATED: { entity: "matter", label: "Matters unrelated", ...updated },
  MATTER_IMPORTED: { entity: "matter", label: "Matter imported", ...created },
  MATTER_REIMPORTED: { entity: "matter", label: "Matter re-imported", ...updated },
  MONITOR_ASSIGNED: { entity: "matter", label: "Monitor assigned", ...nothing, after: Required },
  MONITOR_UNASSIGNED: { entity: "matter", label: "Monitor unassigned", ...deleted },
  EVENT_CREATED: { entity: "event", label: "Event created", ...created },
  EVENT_UPDATED: { entity: "event", label: "Event updated", ...updated },
  EVENT_DELETED: { entity: "event", label: "Event deleted", ...deleted },
  EVENT_IMPORTED: { entity: "event", label: "Event imported", ...created },
  EVENT_REIMPORTED: { entity: "event", label: "Event re-imported", ...updated },
  JURISDICTION_CREATED: { entity: "jurisdiction", label: "Jurisdiction created", ...created },
  JURISDICTION_UPDATED: { entity: "jurisdiction", label: "Jurisdiction updated", ...updated },
  JURISDICTION_DELETED: { entity: "jurisdiction", label: "Jurisdiction deleted", ...deleted },
  JURISDICTION_IMPORTED: { entity: "jurisdiction", label: "Jurisdiction imported", ...created },
  JURISDICTION_REIMPORTED: { entity: "jurisdiction", label: "Jurisdiction re-imported", ...updated },
  AGENCY_CREATED: { entity: "agency", label: "Agency created", ...created },
  AGENCY_UPDATED: { entity: "agency", label: "Agency updated", ...updated },
  AGENCY_DELETED: { entity: "agency", label: "Agency deleted", ...deleted },
  AGENCY_IMPORTED: { entity: "agency", label: "Agency imported", ...created },
  AGENCY_REIMPORTED: { entity: "agency", label: "Agency re-imported", ...updated },
  AWARD_CREATED: { entity: "award", label: "Grant award created", ...created },
  AWARD_UPDATED: { entity: "award", label: "Grant award updated", ...updated },
  AWARD_IMPORTED: { entity: "award", label: "Grant award imported", ...created },
  AWARD_REIMPORTED: { entity: "award", label: "Grant award re-imported", ...updated },
  CONDITION_CREATED: { entity: "condition", label: "Grant condition created", ...created },
  CONDITION_STATUS_CHANGED: {
    entity: "condition",
    label: "Grant condition status changed",
    before: StatusMove,
    after: StatusMove,
  },
  CONDITION_IMPORTED: { entity: "condition", label: "Grant condition imported", ...created },
  CONDITION_REIMPORTED: { entity: "condition", label: "Grant condition re-imported", ...updated },
  PROGRAM_FACT_IMPORTED: { entity: "program_fact", label: "Program fact imported", ...created },
  PROGRAM_FACT_REIMPORTED: { entity: "program_fact", label: "Program fact re-imported", ...updated },
  STATISTICS_IMPORTED: { entity: "stat_source", label: "Statistics imported", ...created },
  /**
   * An HTTP CSV import that wrote nothing (the list's `import.failed`): written after its
   * rollback, with its record in `imports` (GET /imports/{id}).
   */
  IMPORT_FAILED: {
    entity: "import",
    label: "Import failed",
    before: Absent,
    after: z.object({
      kind: z.string(),
      code: z.string(),
      rowCount: z.int(),
      errorCount: z.int(),
      matterId: z.string().nullable(),
    }),
  },
  DOCUMENT_ADDED: { entity: "document", label: "Document added", ...created },
  DOCUMENT_UPDATED: { entity: "document", label: "Document updated", ...updated },
  DOCUMENT_DELETED: { entity: "document", label: "Document deleted", ...deleted },
  DECREE_PARSED: { entity: "decree_parse", label: "Decree parsed", ...created },
  DECREE_PARSE_EDITED: { entity: "decree_parse", label: "Decree parse edited", ...updated },
  PROVISIONS_ACCEPTED: { entity: "decree_parse", label: "Provisions accepted", ...updated },
  PROVISION_TOPICS_CORRECTED: { entity: "provision", label: "Provision topics corrected", ...updated },
  PROVISION_TOPICS_RESET: { entity: "provision", label: "Provision topics reset", ...updated },
  SUSTAINMENT_START_SET: { entity: "provision", label: "Sustainment start set", ...changed },
  SUSTAINMENT_START_WITHDRAWN: { entity: "provision", label: "Sustainment start withdrawn", ...changed },
  DEADLINE_ANCHOR_DATE_SET: { entity: "provision_deadline", label: "Deadline anchor date set", ...changed },
  DEADLINE_MET: { entity: "provision_deadline", label: "Deadline marked met", ...changed },
  DEADLINE_WAIVED: { entity: "provision_deadline", label: "Deadline waived", ...changed },
  DEADLINE_EXTENDED: { entity: "provision_deadline", label: "Deadline extended", ...changed },
  DEADLINE_ASSIGNED: { entity: "provision_deadline", label: "Deadline assigned", ...changed },
  DEADLINE_REOPENED: { entity: "provision_deadline", label: "Deadline reopened", ...changed },
  COMPLIANCE_SCALE_SET: { entity: "matter", label: "Compliance scale set", ...updated },
  SECTION_TERMINATED: { entity: "matter", label: "Section terminated", ...changed },
  SECTION_TERMINATION_WITHDRAWN: { entity: "matter", label: "Section termination withdrawn", ...changed },
  ASSESSMENTS_SAVED: { entity: "matter", label: "Ratings saved", ...updated },
  ASSESSMENTS_IMPORTED: { entity: "matter", label: "Ratings imported", ...changed },
  ASSESSMENTS_READ: { entity: "matter", label: "Ratings read from a report", ...changed },
  RATING_DRAFT_CREATED: { entity: "rating_draft", label: "Report read into ratings", ...created },
  RATING_DRAFT_EDITED: { entity: "rating_draft", label: "Ratings read from a report corrected", ...updated },
  RATINGS_HISTORY_LOADED: { entity: "matter", label: "Bundled ratings history loaded", ...created },
  PERIOD_CREATED: { entity: "reporting_period", label: "Reporting period created", ...created },
  PERIOD_UPDATED: { entity: "reporting_period", label: "Reporting period updated", ...updated },
  PERIOD_DELETED: { entity: "reporting_period", label: "Reporting period deleted", ...deleted },
  CYCLE_CREATED: { entity: "review_cycle", label: "Review cycle created", ...created },
  CYCLE_COPIED: { entity: "review_cycle", label: "Review cycle copied", ...created },
  CYCLE_UPDATED: { entity: "review_cycle", label: "Review cycle updated", ...updated },
  CYCLE_STARTED: {
    entity: "review_cycle",
    label: "Review cycle started",
    before: StatusMove,
    after: StatusMove,
  },
  REVIEW_ASSIGNED: { entity: "review", label: "Review assigned", ...updated },
  REVIEW_DRAFTED: { entity: "review", label: "Review drafted", ...updated },
  REVIEW_SUBMITTED: { entity: "review", label: "Review submitted", before: StatusMove, after: StatusMove },
  REVIEW_APPROVED: { entity: "review", label: "Review approved", before: StatusMove, after: StatusMove },
  REVIEW_RETURNED: { entity: "review", label: "Review returned", before: StatusMove, after: StatusMove },
  REVIEW_REOPENED: { entity: "review", label: "Review reopened", before: StatusMove, after: StatusMove },
  USER_CREATED: { entity: "user", label: "User created", ...created },
  USER_UPDATED: { entity: "user", label: "User updated", ...updated },
  USER_ROLE_CHANGED: {
    entity: "user",
    label: "Role changed",
    before: z.looseObject({ role: z.string() }),
    after: z.looseObject({ role: z.string() }),
  },
  PASSWORD_RESET: { entity: "user", label: "Password reset", ...nothing },
  PASSWORD_CHANGED: { entity: "user", label: "Password changed", ...nothing },
  SIGNED_IN: { entity: "user", label: "Signed in", ...nothing, after: Snapshot.optional() },
  SIGN_IN_FAILED: { entity: "user", label: "Sign-in failed", ...nothing, after: Snapshot.optional() },
  SIGNED_OUT: { entity: "user", label: "Signed out", ...nothing },
  SECOND_FACTOR_ENROLLED: { entity: "user", label: "Second factor set up", ...updated },
  SECOND_FACTOR_REMOVED: { entity: "user", label: "Second factor removed", ...updated },
  ACCESS_DENIED: {
    entity: "user",
    label: "Access refused",
    before: Absent,
    // The request refused by policy (403) and, when identical refusals were throttled, how many
    // were left out since the entry before.
    after: z.object({
      method: z.string(),
      route: z.string(),
      code: z.string(),
      repeated: z.number().int().positive().optional(),
    }),
  },
  TOKEN_CREATED: { entity: "api_token", label: "API token created", ...created },
  TOKEN_REVOKED: { entity: "api_token", label: "API token revoked", ...deleted },
  CALENDAR_FEED_TOKEN_CREATED: { entity: "calendar_feed_token", label: "Calendar feed created", ...created },
  CALENDAR_FEED_TOKEN_REVOKED: { entity: "calendar_feed_token", label: "Calendar feed revoked", ...deleted },
  WEBHOOK_CREATED: { entity: "webhook", label: "Webhook registered", ...created },
  WEBHOOK_DELETED: { entity: "webhook", label: "Webhook removed", ...deleted },
  WEBHOOK_REDELIVERED: {
    entity: "webhook",
    label: "Webhook delivery sent again",
    before: z.object({ deliveryId: z.string(), kind: z.string(), status: z.string(), attempts: z.number() }),
    after: z.object({ deliveryId: z.string(), status: z.literal("pending") }),
  },
  SAVED_SEARCH_CREATED: { entity: "saved_search", label: "Search saved", ...created },
  SAVED_SEARCH_UPDATED: { entity: "saved_search", label: "Saved search changed", ...updated },
  SAVED_SEARCH_DELETED: { entity: "saved_search", label: "Saved search deleted", ...deleted },
} as const satisfies Record<
  string,
  { entity: AuditEntity; label: string; before: z.ZodType; after: z.ZodType }
>;

export type AuditAction = keyof typeof ACTIONS;
export const AUDIT_ACTIONS = Object.keys(ACTIONS) as AuditAction[];

export const AUDIT_ACTION_LABELS = Object.fromEntries(
  AUDIT_ACTIONS.map((a) => [a, ACTIONS[a].label]),
) as Record<AuditAction, string>;

/** The record kind an action is about. */
export const auditEntityOf = (action: AuditAction): AuditEntity => ACTIONS[action].entity;

export const isAuditAction = (action: unknown): action is AuditAction =>
  typeof action === "string" && Object.hasOwn(ACTIONS, action);

type ActionSpec = (typeof ACTIONS)[AuditAction];

function variant<A extends AuditAction>(action: A) {
  const spec: ActionSpec = ACTIONS[action];
  return z.object({
    action: z.literal(action),
    entity: z.literal(spec.entity as (typeof ACTIONS)[A]["entity"]),
    entityId: z.string().nullable(),
    before: spec.before as (typeof ACTIONS)[A]["before"],
    after: spec.after as (typeof ACTIONS)[A]["after"],
  });
}

type Variant<A extends AuditAction> = ReturnType<typeof variant<A>>;
type Variants = { [A in AuditAction]: Variant<A> }[AuditAction];

/** What a change records: its action, the record it is about, and the payload its action allows. */
export const AuditEventSchema = z.discriminatedUnion(
  "action",
  AUDIT_ACTIONS.map((a) => variant(a)) as unknown as [Variants, ...Variants[]],
);
export type AuditEvent = z.input<typeof AuditEventSchema>;

/** One entry of the audit log, as the API answers it. */
export const AuditEntrySchema = z.object({
  id: z.int(),
  at: z.string(),
  actor: z.string(),
  actorRole: z.string().nullable(),
  address: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  /** What the record is called now (a matter's title, a user's name), when the reader may know. */
  recordName: z.string().nullable().optional(),
  /** Names of the records the entry names by id (its record, `matterId`, `agencyIds`…). */
  names: z.record(z.string(), z.string()).optional(),
  /**
   * How many autosaves of one review draft this row stands for, when more than one: a person's
   * autosaves in one session of editing are listed as one row (the log keeps every entry).
   */
  autosaves: z.int().min(2).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
