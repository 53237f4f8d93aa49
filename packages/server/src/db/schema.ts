import type { Disagreement, InferredField, Source } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const int4range = customType<{ data: string }>({ dataType: () => "int4range" });

const PARTIAL_DATE_CHECK = "'^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$'";

const meta = {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull(),
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
};

export const jurisdictions = pgTable(
  "jurisdictions",
  {
    ...meta,
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    stateCode: text("state_code").notNull(),
    fips: text("fips"),
    population: integer("population"),
    populationYear: integer("population_year"),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex("jurisdictions_slug_key").on(t.slug),
    index("jurisdictions_state_idx").on(t.stateCode),
    // The matters list by place (each way): the places in order, then each one's matters by its
    // jurisdiction index, so that a page stops early instead of sorting every matter.
    index("jurisdictions_state_desc_idx").on(t.stateCode.desc().nullsLast(), t.id),
    index("jurisdictions_name_idx").on(t.name, t.id),
    index("jurisdictions_name_desc_idx").on(t.name.desc().nullsLast(), t.id),
  ],
);

export const agencies = pgTable(
  "agencies",
  {
    ...meta,
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    jurisdictionId: uuid("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id, { onDelete: "restrict" }),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex("agencies_slug_key").on(t.slug),
    index("agencies_jurisdiction_idx").on(t.jurisdictionId),
  ],
);

export const matters = pgTable(
  "matters",
  {
    ...meta,
    kind: text("kind").notNull(),
    status: text("status").notNull(),
    title: text("title").notNull(),
    summary: text("summary"),
    jurisdictionId: uuid("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id, { onDelete: "restrict" }),
    authority: text("authority"),
    court: text("court"),
    caseNumber: text("case_number"),
    judge: text("judge"),
    monitor: text("monitor"),
    openedOn: text("opened_on"),
    findingsOn: text("findings_on"),
    agreementOn: text("agreement_on"),
    enteredOn: text("entered_on"),
    endedOn: text("ended_on"),
    statusNote: text("status_note"),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
    /** Anonymous visitors may read it when the server runs with ACCORD_PUBLIC_READ=1. */
    public: boolean("public").notNull().default(false),
    /** Fields whose value a rule set rather than a source, each with its rule. */
    inferred: jsonb("inferred").$type<InferredField[]>().notNull().default([]),
    /** Where sources disagree on a field: every value with its source. */
    disagreements: jsonb("disagreements").$type<Disagreement[]>().notNull().default([]),
    /**
     * Title, jurisdiction, state and agency names, kept by the application on every write
     * that touches them, so one GIN index answers "baltimore police".
     */
    searchText: text("search_text").notNull().default(""),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`to_tsvector('english', ${matters.searchText})`),
    /**
     * What the site-wide search matches: the title (weight A), the rest of search_text (case
     * number, jurisdiction, state, agencies: B) and the summary (C), so that a title hit ranks
     * above a summary hit.
     */
    searchFull: tsvector("search_full")
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`setweight(to_tsvector('english', ${matters.title}), 'A') || setweight(to_tsvector('english', ${matters.searchText}), 'B') || setweight(to_tsvector('english', coalesce(${matters.summary}, '')), 'C')`,
      ),
    /** The year the matter began: opened, else agreed, else entered. Filters the year range. */
    startYear: integer("start_year").generatedAlwaysAs(
      (): SQL =>
        sql`(substr(coalesce(${matters.openedOn}, ${matters.agreementOn}, ${matters.enteredOn}), 1, 4))::integer`,
    ),
  },
  (t) => [
    uniqueIndex("matters_slug_key").on(t.slug),
    index("matters_search_idx").using("gin", t.search),
    index("matters_search_full_idx").using("gin", t.searchFull),
    // Migration 0042 gives it INCLUDE (id, jurisdiction_id and the key dates: drizzle cannot
    // declare them): today's dashboard reads every matter's columns it groups by from this index
    // alone (140 pages for 10,000 matters, not the table's 2,500). Keep that clause when changing it.
    index("matters_kind_status_idx").on(t.kind, t.status),
    index("matters_jurisdiction_idx").on(t.jurisdictionId),
    index("matters_start_year_idx").on(t.startYear),
    // The default order of the list (newest first, undated last), and the title order.
    index("matters_opened_desc_idx").on(t.openedOn.desc().nullsLast(), t.slug),
    index("matters_opened_idx").on(t.openedOn, t.slug),
    index("matters_title_idx").on(t.title, t.slug),
    // The list's other orders (each way, undated last), so that a page of a broad list reads its
    // rows in order and stops, rather than sorting every match.
    index("matters_status_idx").on(t.status, t.slug),
    index("matters_updated_idx").on(t.updatedAt, t.slug),
    index("matters_agreement_idx").on(t.agreementOn, t.slug),
    index("matters_agreement_desc_idx").on(t.agreementOn.desc().nullsLast(), t.slug),
    index("matters_entered_idx").on(t.enteredOn, t.slug),
    index("matters_entered_desc_idx").on(t.enteredOn.desc().nullsLast(), t.slug),
    index("matters_ended_idx").on(t.endedOn, t.slug),
    index("matters_ended_desc_idx").on(t.endedOn.desc().nullsLast(), t.slug),
    index("matters_title_desc_idx").on(t.title.desc().nullsLast(), t.slug),
    index("matters_updated_desc_idx").on(t.updatedAt.desc().nullsLast(), t.slug),
    index("matters_status_desc_idx").on(t.status.desc().nullsLast(), t.slug),
    index("matters_kind_idx").on(t.kind, t.slug),
    index("matters_kind_desc_idx").on(t.kind.desc().nullsLast(), t.slug),
    check("matters_opened_on_check", sql.raw(`opened_on ~ ${PARTIAL_DATE_CHECK}`)),
    check("matters_ended_on_check", sql.raw(`ended_on ~ ${PARTIAL_DATE_CHECK}`)),
  ],
);

export const matterAgencies = pgTable(
  "matter_agencies",
  {
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "restrict" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.matterId, t.agencyId] }),
    index("matter_agencies_agency_idx").on(t.agencyId),
  ],
);

export const matterRelations = pgTable(
  "matter_relations",
  {
    fromMatterId: uuid("from_matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    toMatterId: uuid("to_matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    relation: text("relation").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fromMatterId, t.toMatterId] }),
    index("matter_relations_to_idx").on(t.toMatterId),
    check("matter_relations_not_self", sql`${t.fromMatterId} <> ${t.toMatterId}`),
  ],
);

export const events = pgTable(
  "events",
  {
    ...meta,
    matterId: uuid("matter_id").references(() => matters.id, { onDelete: "cascade" }),
    /** An event of a place rather than of a matter (a letter to a city). */
    jurisdictionId: uuid("jurisdiction_id").references(() => jurisdictions.id, { onDelete: "restrict" }),
    kind: text("kind").notNull(),
    date: text("date").notNull(),
    time: text("time"),
    status: text("status"),
    newDate: text("new_date"),
    title: text("title").notNull(),
    description: text("description"),
    actor: text("actor"),
    /** A ruling's outcome in words, and whom it favoured (plaintiff, defendant, mixed, neither). */
    outcome: text("outcome"),
    favors: text("favors"),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
    /** Anonymous visitors may read it (when its matter is public too) under ACCORD_PUBLIC_READ=1. */
    public: boolean("public").notNull().default(false),
  },
  (t) => [
    uniqueIndex("events_slug_key").on(t.slug),
    index("events_matter_date_idx").on(t.matterId, t.date),
    index("events_date_idx").on(t.date),
    index("events_kind_date_idx").on(t.kind, t.date),
    index("events_jurisdiction_date_idx").on(t.jurisdictionId, t.date),
    // The dashboard's next hearings, in the order it shows them: read ten entries, not every hearing.
    index("events_upcoming_hearings_idx")
      .on(sql`coalesce(${t.newDate}, ${t.date})`, t.time, t.slug)
      .where(sql`kind = 'hearing' and coalesce(status, 'scheduled') in ('scheduled', 'postponed')`),
    check("events_date_check", sql.raw(`date ~ ${PARTIAL_DATE_CHECK}`)),
  ],
);

/**
 * Each matter's status as of any day, as spans: from `from_day` (a YYYY-MM-DD day, or '' before
 * its first dated fact) until the next span (`to_day`), this status. A day's spans of every
 * matter are read at once with `from_day <= day and (to_day is null or to_day > day)`. Derived from the matter's dated facts
 * by triggers in the same transaction (modules/matters/status-spans.ts); never written otherwise.
 */
export const matterStatusSpans = pgTable(
  "matter_status_spans",
  {
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    fromDay: text("from_day").notNull(),
    /** The next span's `from_day` (null for the last): the span holds the days from `from_day` up to, not including, it. */
    toDay: text("to_day"),
    status: text("status").notNull(),
    /** How it was decided: 'events' or 'record' (see the domain's as-of.ts). */
    basis: text("basis").notNull(),
    decidedOn: text("decided_on"),
    /** False before the matter's first dated fact: it is not part of the portfolio then. */
    begun: boolean("begun").notNull(),
    /**
     * The days the span holds, as YYYYMMDD numbers (from `from_day`, unbounded for '', up to
     * `to_day`, not included): `day_range @> 20110304` finds a day's spans through the index below.
     */
    dayRange: int4range("day_range").generatedAlwaysAs(
      (): SQL =>
        sql`int4range(nullif(replace(${matterStatusSpans.fromDay}, '-', ''), '')::integer, replace(${matterStatusSpans.toDay}, '-', '')::integer)`,
    ),
    // The matter's columns the dashboard as of a day groups by, copied from `matters` by the same
    // triggers (status-spans.ts), so that a day's figures read the spans alone, not the wide matters.
    kind: text("kind").notNull(),
    jurisdictionId: uuid("jurisdiction_id").notNull(),
    openedOn: text("opened_on"),
    agreementOn: text("agreement_on"),
    enteredOn: text("entered_on"),
    endedOn: text("ended_on"),
  },
  (t) => [
    primaryKey({ columns: [t.matterId, t.fromDay] }),
    // The begun spans of a day, in a quad tree over their bounds. Migration 0042 creates it with
    // INCLUDE (every column the dashboard reads, which drizzle cannot declare), so a day's figures
    // come from the index alone: keep that clause when changing it.
    index("matter_status_spans_day_idx").using("spgist", t.dayRange).where(sql`begun`),
  ],
);

/** Append-only record of every change, written in the same transaction as the change. */
export const auditEntries = pgTable(
  "audit_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    actorId: uuid("actor_id"),
    actorRole: text("actor_role"),
    address: text("address"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: uuid("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    /**
     * The hash chain (migration 0022's trigger sets these on insert, under one lock): the entry's
     * place in the chain, the hash of the entry before it, and its own hash over both and its
     * fields. `accord audit verify` names the first entry whose link is broken.
     */
    chainSeq: bigint("chain_seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  (t) => [
    uniqueIndex("audit_chain_seq_idx").on(t.chainSeq),
    index("audit_entity_idx").on(t.entity, t.entityId),
    index("audit_at_idx").on(t.at),
    index("audit_actor_idx").on(t.actor, t.at),
    // What changed in a matter since a review's approval (reviews/queries/reviews.ts, changesSince):
    // the entries of its events and documents, by the matter their before or after names.
    index("audit_event_after_matter_idx")
      .on(sql`(${t.after}->>'matterId')`, t.at)
      .where(sql`${t.entity} = 'event'`),
    index("audit_event_before_matter_idx")
      .on(sql`(${t.before}->>'matterId')`, t.at)
      .where(sql`${t.entity} = 'event'`),
    index("audit_document_after_matter_idx")
      .on(sql`((${t.after}->'matter')->>'id')`, t.at)
      .where(sql`${t.entity} = 'document'`),
    index("audit_document_before_matter_idx")
      .on(sql`((${t.before}->'matter')->>'id')`, t.at)
      .where(sql`${t.entity} = 'document'`),
  ],
);

/** Key/value facts about this installation (e.g. when the bundled dataset was loaded). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});

/**
 * Imports are staged here in small batches (readers are served in between), then published
 * into the real tables in one short transaction.
 */
export const importStaging = pgTable(
  "import_staging",
  {
    importId: uuid("import_id").notNull(),
    entity: text("entity").notNull(),
    seq: integer("seq").notNull(),
    slug: text("slug").notNull(),
    doc: jsonb("doc").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.entity, t.seq] }),
    uniqueIndex("import_staging_slug_key").on(t.importId, t.entity, t.slug),
  ],
);

/**
 * One row counting committed changes. Every write bumps it in its own transaction (the row lock
 * orders writers), so a read cache can tell in one tiny query whether what it holds is current.
 */
export const dataVersion = pgTable(
  "data_version",
  {
    id: integer("id").primaryKey(),
    version: bigint("version", { mode: "number" }).notNull(),
  },
  (t) => [check("data_version_single_row", sql`${t.id} = 1`)],
);

/** People who sign in. Never deleted once they have authored history: deactivated instead. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull(),
    displayName: text("display_name"),
    role: text("role").notNull(),
    /** scrypt$N$r$p$salt$hash; null for accounts that sign in only through single sign-on. */
    passwordHash: text("password_hash"),
    active: boolean("active").notNull().default(true),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true, mode: "string" }),
    /**
     * The password was generated and handed over (a new account, a reset): the user must choose
     * their own before doing anything else.
     */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    /** Base32 TOTP secret (RFC 6238), set once enrolment is confirmed. */
    totpSecret: text("totp_secret"),
    /** A secret offered at enrolment, waiting for the first code. */
    totpPendingSecret: text("totp_pending_secret"),
    /** When the user last signed in or used a session (kept after sessions end). */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "string" }),
    /** The last time step accepted: a code is never accepted twice. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    /** The OpenID Connect issuer and subject of a user who signs in through single sign-on. */
    oidcIssuer: text("oidc_issuer"),
    oidcSubject: text("oidc_subject"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.username),
    uniqueIndex("users_oidc_key").on(t.oidcIssuer, t.oidcSubject),
  ],
);

/** Which matters a monitor is assigned to: a monitor reads (and later rates) only these. */
export const matterAssignments = pgTable(
  "matter_assignments",
  {
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    assignedBy: text("assigned_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.matterId, t.userId] }), index("matter_assignments_user_idx").on(t.userId)],
);

/** Single sign-on attempts in flight: the state, nonce and PKCE verifier until the callback. */
export const oidcLogins = pgTable("oidc_logins", {
  state: text("state").primaryKey(),
  nonce: text("nonce").notNull(),
  codeVerifier: text("code_verifier").notNull(),
  returnTo: text("return_to").notNull().default("/"),
  /** Who started it (an IPv6 /64 as one): anonymous starts are limited per address. */
  address: text("address"),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/** Server-side sessions; the cookie holds a random id, the table only its hash. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The anti-CSRF proof the web app sends back in X-CSRF-Token on every unsafe request. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    address: text("address"),
    userAgent: text("user_agent"),
    /** How the user proved who they are: their password (and second factor), or single sign-on. */
    method: text("method").notNull().default("password"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** API tokens for scripts: shown once, stored as a hash, revocable. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "string" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

/** Failed sign-ins per account and per address, to slow and then lock guessing. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "string" }),
});

/** One-time recovery codes for users with a second factor: only hashes are stored. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

// ---------------------------------------------------------------- reviews

/** A review of every matter in scope against a set of criteria, as some order mandated. */
export const reviewCycles = pgTable(
  "review_cycles",
  {
    ...meta,
    name: text("name").notNull(),
    mandate: text("mandate"),
    mandateUrl: text("mandate_url"),
    /** The mandate as a document in Accord (a memo, an order). */
    mandateDocumentId: uuid("mandate_document_id").references((): AnyPgColumn => documents.id, {
      onDelete: "set null",
    }),
    /** { kinds: [...], statuses: [...] }: empty lists mean every kind or status. */
    scope: jsonb("scope").$type<{ kinds: string[]; statuses: string[] }>().notNull(),
    dueOn: text("due_on"),
    /** draft (criteria editable), active (started: reviews exist), closed. */
    status: text("status").notNull().default("draft"),
    ratingScale: jsonb("rating_scale").$type<{ code: string; label: string; tone: string }[]>().notNull(),
    copiedFromId: uuid("copied_from_id"),
    /** The day the scope is evaluated on: matters as they stood then. Null: the day it starts. */
    asOf: text("as_of"),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [uniqueIndex("review_cycles_slug_key").on(t.slug)],
);

export const reviewCriteria = pgTable(
  "review_criteria",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    cycleId: uuid("cycle_id")
      .notNull()
      .references(() => reviewCycles.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    title: text("title").notNull(),
    guidance: text("guidance"),
    /** Provision topics that bear on the criterion (TOPICS codes): the review form lists those provisions. */
    topics: jsonb("topics").$type<string[]>().notNull().default([]),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("review_criteria_code_key").on(t.cycleId, t.code)],
);

/** One matter's review in a cycle: findings per criterion, a recommendation, its sign-off. */
export const reviews = pgTable(
  "reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    cycleId: uuid("cycle_id")
      .notNull()
      .references(() => reviewCycles.id, { onDelete: "restrict" }),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "restrict" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "restrict" }),
    status: text("status").notNull().default("not_started"),
    /** Findings by criterion code: { rating, rationale, citations }. */
    findings: jsonb("findings").$type<Record<string, unknown>>().notNull().default({}),
    recommendation: text("recommendation"),
    recommendationRationale: text("recommendation_rationale"),
    submittedAt: timestamp("submitted_at", { withTimezone: true, mode: "string" }),
    submittedById: uuid("submitted_by_id").references(() => users.id, { onDelete: "restrict" }),
    approvedAt: timestamp("approved_at", { withTimezone: true, mode: "string" }),
    approvedById: uuid("approved_by_id").references(() => users.id, { onDelete: "restrict" }),
    returnComment: text("return_comment"),
    reopenReason: text("reopen_reason"),
    /** The matter (with its timeline) as it was when the review was approved. */
    snapshot: jsonb("snapshot"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reviews_cycle_matter_key").on(t.cycleId, t.matterId),
    index("reviews_assignee_idx").on(t.assigneeId),
    index("reviews_matter_idx").on(t.matterId),
  ],
);

// ---------------------------------------------------------------- documents and search

/** Files, stored once by content (sha256) under the data directory's blobs/ folder. */
export const blobs = pgTable("blobs", {
  sha256: text("sha256").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  /** What the content is, sniffed from its bytes: application/pdf, text/html, text/plain, DOCX. */
  mime: text("mime").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/** A document attached to a matter (or to the department-wide record when matter_id is null). */
export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    matterId: uuid("matter_id").references(() => matters.id, { onDelete: "restrict" }),
    sha256: text("sha256")
      .notNull()
      .references(() => blobs.sha256, { onDelete: "restrict" }),
    /** decree, findings_report, monitor_report, motion, order, memo, news, other. */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    date: text("date"),
    sourceUrl: text("source_url"),
    filename: text("filename").notNull(),
    /** queued, extracting, ready, failed. */
    status: text("status").notNull().default("queued"),
    /** Why extraction failed, in words a person understands. */
    failure: text("failure"),
    pageCount: integer("page_count"),
    /** Pages extracted so far (progress while extracting). */
    pagesDone: integer("pages_done").notNull().default(0),
    /** Pages without a text layer (scanned images). */
    scannedPages: jsonb("scanned_pages").$type<number[]>().notNull().default([]),
    /** MinHash signature of the text's shingles, for near-duplicate detection. */
    minhash: jsonb("minhash").$type<number[]>(),
    nearDuplicateOf: uuid("near_duplicate_of"),
    similarity: real("similarity"),
    public: boolean("public").notNull().default(false),
    searchTitle: tsvector("search_title")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`to_tsvector('english', ${documents.title})`),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    index("documents_matter_idx").on(t.matterId),
    index("documents_sha_idx").on(t.sha256),
    index("documents_search_title_idx").using("gin", t.searchTitle),
    check("documents_date_check", sql.raw(`date ~ ${PARTIAL_DATE_CHECK}`)),
  ],
);

/** The text of each page of a document, searchable. */
export const documentPages = pgTable(
  "document_pages",
  {
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    page: integer("page").notNull(),
    text: text("text").notNull(),
    /** Kept in the row (STORAGE MAIN, migration 0040), the text out of line: every search reads it. */
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`to_tsvector('english', ${documentPages.text})`),
  },
  (t) => [
    primaryKey({ columns: [t.documentId, t.page] }),
    index("document_pages_search_idx").using("gin", t.search),
  ],
);

/** Durable background work (text extraction): claimed with FOR UPDATE SKIP LOCKED, resumed after a restart. */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    documentId: uuid("document_id").references(() => documents.id, { onDelete: "cascade" }),
    /** What a job other than extraction works on (a webhook delivery's id, notifications to mail). */
    payload: jsonb("payload"),
    /** queued, running, done, failed. */
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    runAfter: timestamp("run_after", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    lockedAt: timestamp("locked_at", { withTimezone: true, mode: "string" }),
    lockedBy: text("locked_by"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [index("jobs_queue_idx").on(t.status, t.runAfter), index("jobs_document_idx").on(t.documentId)],
);

// ---------------------------------------------------------------- provisions and compliance

/** A parse of a decree's text, kept as a draft for a person to check before it is accepted. */
export const decreeParses = pgTable(
  "decree_parses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    /** draft, accepted, discarded. */
    status: text("status").notNull().default("draft"),
    /** The provisions as parsed (and as a person split, merged or renumbered them). */
    provisions: jsonb("provisions").$type<unknown[]>().notNull().default([]),
    sections: jsonb("sections").$type<unknown[]>().notNull().default([]),
    toc: jsonb("toc").$type<unknown[]>().notNull().default([]),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    index("decree_parses_document_idx").on(t.documentId),
    index("decree_parses_matter_idx").on(t.matterId),
  ],
);

/**
 * A node of an agreement's outline, cited by its label ("¶ 46", "E.1", "III.A.1.a(i)"): what a
 * monitor rates, period after period (a heading only is a node too, and may be rated as a whole).
 */
export const provisions = pgTable(
  "provisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    documentId: uuid("document_id").references(() => documents.id, { onDelete: "set null" }),
    /** The paragraph number of a "¶ N" provision; null for a node labelled otherwise ("III.A.1"). */
    number: integer("number"),
    /** The citation label, unique among the matter's current provisions: "¶ 46", "III.A.1.a(i)". */
    label: text("label").notNull(),
    /** Its place in the agreement, from 1: the decree's order. */
    position: integer("position").notNull().default(0),
    /** The node it sits under in the outline (null at the top). */
    parentId: uuid("parent_id").references((): AnyPgColumn => provisions.id, { onDelete: "set null" }),
    /** 0 at the top of the outline. */
    depth: integer("depth").notNull().default(0),
    /** A heading only (a title and children, no text of its own); rated only when a rater rates a section as a whole. */
    heading: boolean("heading").notNull().default(false),
    /** Its caption or title, when it carries one ("Training"). */
    caption: text("caption"),
    /** [{ number, title, level }] from the outermost section in. */
    sections: jsonb("sections")
      .$type<{ number: string; title: string; level: number }[]>()
      .notNull()
      .default([]),
    /** "V. Protection from Harm › A. Policies › ¶ 46". */
    path: text("path").notNull(),
    text: text("text").notNull(),
    page: integer("page"),
    pageEnd: integer("page_end"),
    isDefinition: boolean("is_definition").notNull().default(false),
    terms: jsonb("terms").$type<string[]>().notNull().default([]),
    /** The classifier's topics with the words that decided: [{ topic, score, because }]. */
    topics: jsonb("topics").$type<unknown[]>().notNull().default([]),
    /** A person's correction of the topics (kept across re-parses); null: the classifier's. */
    topicsOverride: jsonb("topics_override").$type<string[]>(),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`to_tsvector('english', ${provisions.text})`),
    /** When a later accepted parse no longer has it (its ratings stay, for history). */
    retiredAt: timestamp("retired_at", { withTimezone: true, mode: "string" }),
    /** The court terminated it (or its section): when, and the event (order) that did it. */
    terminatedOn: text("terminated_on"),
    terminatedByEventId: uuid("terminated_by_event_id").references(() => events.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("provisions_matter_number_key").on(t.matterId, t.number).where(sql`retired_at is null`),
    uniqueIndex("provisions_matter_label_key").on(t.matterId, t.label).where(sql`retired_at is null`),
    index("provisions_parent_idx").on(t.parentId),
    index("provisions_matter_idx").on(t.matterId),
    index("provisions_search_idx").using("gin", t.search),
  ],
);

/**
 * A monitor's report (or an assessment) read into proposed ratings, for a person to check: the
 * rows stay here until the draft is accepted, when they become the period's ratings.
 */
export const ratingDrafts = pgTable(
  "rating_drafts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    periodId: uuid("period_id").references(() => reportingPeriods.id, { onDelete: "set null" }),
    /** { layout, levels? }: how the report words its ratings. */
    wording: jsonb("wording").$type<Record<string, unknown>>().notNull(),
    /** draft, accepted. */
    status: text("status").notNull().default("draft"),
    /** [{ label, provisionId, provisionText, levelAsWritten, level, rater, page, quote, dropped }]. */
    items: jsonb("items").$type<unknown[]>().notNull().default([]),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    index("rating_drafts_document_idx").on(t.documentId),
    index("rating_drafts_matter_idx").on(t.matterId, t.createdAt),
  ],
);

/** A deadline a provision's words set ("within 90 days of the Effective Date", "annually"). */
export const provisionDeadlines = pgTable(
  "provision_deadlines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provisionId: uuid("provision_id")
      .notNull()
      .references(() => provisions.id, { onDelete: "cascade" }),
    phrase: text("phrase").notNull(),
    /** { n, unit } after the anchor, for a one-time deadline. */
    offset: jsonb("offset").$type<{ n: number; unit: string }>(),
    /** { n, unit }, for a recurring one. */
    recurrence: jsonb("recurrence").$type<{ n: number; unit: string }>(),
    /** { kind: effective_date | date | other, … }. */
    anchor: jsonb("anchor").$type<Record<string, unknown>>().notNull(),
    /** The anchor's date, when a person gives it for an anchor other than the effective date. */
    anchorDate: text("anchor_date"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("provision_deadlines_provision_idx").on(t.provisionId)],
);

/** How a matter's monitor rates compliance: the levels, each on the common normalised scale. */
export const complianceScales = pgTable("compliance_scales", {
  matterId: uuid("matter_id")
    .primaryKey()
    .references(() => matters.id, { onDelete: "cascade" }),
  /** [{ code, label, normalized (0–1), full (reaching it is full compliance), rated (false: "not rated") }]. */
  levels: jsonb("levels").$type<unknown[]>().notNull(),
  /** { level, years }: the level held this long ends a provision (e.g. full for two years). */
  sustainment: jsonb("sustainment").$type<{ level: string; years: number }>(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/** A monitor's reporting period on a matter, usually with its report. */
export const reportingPeriods = pgTable(
  "reporting_periods",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    startsOn: text("starts_on"),
    /** Null when no source dates the report (a bundled history): such periods sort after dated ones, by label. */
    endsOn: text("ends_on"),
    reportDocumentId: uuid("report_document_id").references(() => documents.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reporting_periods_label_key").on(t.matterId, t.label),
    // A matter's latest periods first, without sorting them all (the all-decrees view).
    index("reporting_periods_matter_ends_idx").on(t.matterId, t.endsOn),
  ],
);

/** One rating of one provision for one period, with its rationale and evidence. */
export const assessments = pgTable(
  "assessments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provisionId: uuid("provision_id")
      .notNull()
      .references(() => provisions.id, { onDelete: "cascade" }),
    periodId: uuid("period_id")
      .notNull()
      .references(() => reportingPeriods.id, { onDelete: "cascade" }),
    level: text("level").notNull(),
    rationale: text("rationale"),
    /** [{ documentId, page }]: where the rating comes from (the monitor's report and its page). */
    evidence: jsonb("evidence").$type<{ documentId: string; page?: number }[]>().notNull().default([]),
    /**
     * Who gave the rating (RATERS in the domain: monitor, department, city, other). Each rater
     * rates a provision at most once a period; the official figures count the monitor's.
     */
    rater: text("rater").notNull().default("monitor"),
    /** The user who saved it. */
    ratedBy: text("rated_by"),
    ratedAt: timestamp("rated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("assessments_provision_period_rater_key").on(t.provisionId, t.periodId, t.rater),
    index("assessments_period_idx").on(t.periodId),
    // Ratings other than the monitor's (which the official figures leave out), found without
    // reading the monitor's.
    index("assessments_other_raters_idx").on(t.provisionId).where(sql`rater <> 'monitor'`),
    // The domain's RATERS (a test inserts each).
    check("assessments_rater_check", sql`${t.rater} in ('monitor', 'department', 'city', 'other')`),
  ],
);

/**
 * Counts of ratings per matter, period and level, overall ('' topic and section), by topic and
 * by section: kept in the same transaction as every rating, so dashboards read sums, not scans.
 */
export const complianceRollups = pgTable(
  "compliance_rollups",
  {
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    periodId: uuid("period_id")
      .notNull()
      .references(() => reportingPeriods.id, { onDelete: "cascade" }),
    level: text("level").notNull(),
    topic: text("topic").notNull().default(""),
    section: text("section").notNull().default(""),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.matterId, t.periodId, t.level, t.topic, t.section] })],
);

/** A court's order that a provision's sustainment clock started on a date (it can backdate it). */
export const sustainmentStarts = pgTable("sustainment_starts", {
  provisionId: uuid("provision_id")
    .primaryKey()
    .references(() => provisions.id, { onDelete: "cascade" }),
  startsOn: text("starts_on").notNull(),
  /** The order (an event of the matter) that set the date. */
  eventId: uuid("event_id").references(() => events.id, { onDelete: "set null" }),
  setBy: text("set_by"),
  setAt: timestamp("set_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/**
 * What a provision's ratings say for its sustainment clock, kept in the same transaction as every
 * rating (and recounted when the scale or a period's dates change), so the compliance view reads
 * one row per provision instead of its whole history.
 */
export const complianceProvisionStates = pgTable(
  "compliance_provision_states",
  {
    provisionId: uuid("provision_id")
      .primaryKey()
      .references(() => provisions.id, { onDelete: "cascade" }),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
    /** The level of its latest rated period, and that period's end. */
    latestLevel: text("latest_level"),
    latestEndsOn: text("latest_ends_on"),
    /** The end of the latest period rated below the sustainment level. */
    lastBelowOn: text("last_below_on"),
    /** The end of the first period of the qualifying run after it (the clock's start by ratings). */
    runStartedOn: text("run_started_on"),
  },
  (t) => [index("compliance_provision_states_matter_idx").on(t.matterId)],
);

/**
 * One matter's compliance view, packed, kept in the same transaction as every rating (and every
 * change of scale, period dates, court dates and terminations): the per-decree dashboard reads one
 * row. `provisionsFingerprint` says which state of the matter's provisions it was made from; when
 * provisions change without a refresh, the view is computed afresh instead.
 */
export const complianceMatterSummaries = pgTable("compliance_matter_summaries", {
  matterId: uuid("matter_id")
    .primaryKey()
    .references(() => matters.id, { onDelete: "cascade" }),
  provisionsFingerprint: text("provisions_fingerprint").notNull(),
  /** The roll-ups: period, level, topic, section, count (fields joined by U+001F, rows by U+001E). */
  rollups: text("rollups"),
  /** Each current provision's number, section, termination and sustainment state. */
  clocks: text("clocks"),
  /** The movement between the last two rated periods, grouped by the way provisions moved. */
  movement: text("movement"),
  movementFrom: uuid("movement_from"),
  movementTo: uuid("movement_to"),
  /**
   * The view's figures, movement and trajectory as JSON (what does not depend on the day or the
   * reader), and the matter's compliance generation it was made at: served while that stands.
   */
  view: text("view"),
  viewGeneration: bigint("view_generation", { mode: "number" }),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/**
 * A counter per matter that moves whenever anything its compliance view is made from changes:
 * provisions, their deadlines, ratings, periods, the scale, and (for matters that have a counter)
 * the matter's dates and its events. Statement-level triggers keep it (see the
 * migration 0018), so no writer can forget it; the server keeps each view it computed with the
 * counter it was computed at, and serves it again while the counter has not moved. No foreign
 * key: a counter left behind by a deleted matter is harmless.
 */
export const complianceGenerations = pgTable("compliance_generations", {
  matterId: uuid("matter_id").primaryKey(),
  generation: bigint("generation", { mode: "number" }).notNull().default(0),
});

/** An award of a grant program to a jurisdiction (and maybe one of its agencies). */
export const awards = pgTable(
  "awards",
  {
    ...meta,
    program: text("program").notNull(),
    programName: text("program_name"),
    fiscalYear: integer("fiscal_year"),
    amount: numeric("amount", { precision: 15, scale: 2 }),
    amountMeaning: text("amount_meaning"),
    amountNote: text("amount_note"),
    awardNumber: text("award_number"),
    jurisdictionId: uuid("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id, { onDelete: "restrict" }),
    agencyId: uuid("agency_id").references(() => agencies.id, { onDelete: "restrict" }),
    recipientName: text("recipient_name"),
    notes: text("notes"),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
    public: boolean("public").notNull().default(true),
  },
  (t) => [
    uniqueIndex("awards_slug_key").on(t.slug),
    index("awards_jurisdiction_idx").on(t.jurisdictionId),
    index("awards_program_year_idx").on(t.program, t.fiscalYear),
    check("awards_amount_check", sql`${t.amount} >= 0`),
  ],
);

/** A condition on a jurisdiction's grant money; its status is the latest of its changes. */
export const conditions = pgTable(
  "conditions",
  {
    ...meta,
    awardId: uuid("award_id").references(() => awards.id, { onDelete: "set null" }),
    jurisdictionId: uuid("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id, { onDelete: "restrict" }),
    program: text("program").notNull(),
    fiscalYear: integer("fiscal_year"),
    kind: text("kind").notNull(),
    text: text("text"),
    status: text("status").notNull(),
    statusOn: text("status_on").notNull(),
    public: boolean("public").notNull().default(true),
  },
  (t) => [
    uniqueIndex("conditions_slug_key").on(t.slug),
    index("conditions_jurisdiction_idx").on(t.jurisdictionId),
    index("conditions_award_idx").on(t.awardId),
    index("conditions_status_idx").on(t.status),
  ],
);

/** A condition's dated, sourced status history, oldest first. */
export const conditionChanges = pgTable(
  "condition_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conditionId: uuid("condition_id")
      .notNull()
      .references(() => conditions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    status: text("status").notNull(),
    date: text("date").notNull(),
    note: text("note"),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("condition_changes_position_key").on(t.conditionId, t.position),
    check("condition_changes_date_check", sql.raw(`date ~ ${PARTIAL_DATE_CHECK}`)),
  ],
);

/** Lawsuits (and other matters) over an award. */
export const awardMatters = pgTable(
  "award_matters",
  {
    awardId: uuid("award_id")
      .notNull()
      .references(() => awards.id, { onDelete: "cascade" }),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.awardId, t.matterId] }), index("award_matters_matter_idx").on(t.matterId)],
);

/** Lawsuits (and other matters) over a condition. */
export const conditionMatters = pgTable(
  "condition_matters",
  {
    conditionId: uuid("condition_id")
      .notNull()
      .references(() => conditions.id, { onDelete: "cascade" }),
    matterId: uuid("matter_id")
      .notNull()
      .references(() => matters.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.conditionId, t.matterId] }),
    index("condition_matters_matter_idx").on(t.matterId),
  ],
);

/** A fact the sources give only for a whole program (a national count or total). */
export const programFacts = pgTable(
  "program_facts",
  {
    ...meta,
    program: text("program").notNull(),
    date: text("date"),
    fiscalYear: integer("fiscal_year"),
    metric: text("metric").notNull(),
    value: doublePrecision("value"),
    unit: text("unit"),
    description: text("description"),
    sources: jsonb("sources").$type<Source[]>().notNull().default([]),
  },
  (t) => [uniqueIndex("program_facts_slug_key").on(t.slug), index("program_facts_program_idx").on(t.program)],
);

/** The metrics statistics count: Accord's own and those an import added. */
export const statMetrics = pgTable("stat_metrics", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  unit: text("unit").notNull(),
  builtin: boolean("builtin").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/** Where statistics come from: a bundled file, or one CSV import. */
export const statSources = pgTable(
  "stat_sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    url: text("url"),
    licence: text("licence"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    /**
     * Set while an import stages its values (when it last wrote some), null once published: the
     * values of a staged source are read by nothing.
     */
    stagedAt: timestamp("staged_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    uniqueIndex("stat_sources_key_key").on(t.key),
    index("stat_sources_staged_idx").on(t.stagedAt).where(sql`${t.stagedAt} is not null`),
  ],
);

/**
 * One value of a metric for a jurisdiction or an agency (exactly one) in a year or a month, from
 * one source. A period without a row is a gap.
 */
export const statValues = pgTable(
  "stat_values",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    metric: text("metric")
      .notNull()
      .references(() => statMetrics.key, { onDelete: "restrict" }),
    jurisdictionId: uuid("jurisdiction_id").references(() => jurisdictions.id, { onDelete: "cascade" }),
    agencyId: uuid("agency_id").references(() => agencies.id, { onDelete: "cascade" }),
    /** A figure about a matter itself rather than a place (what its monitoring costs): read in its scope. */
    matterId: uuid("matter_id").references(() => matters.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    value: doublePrecision("value").notNull(),
    population: integer("population"),
    monthsReported: integer("months_reported"),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => statSources.id, { onDelete: "cascade" }),
    note: text("note"),
  },
  (t) => [
    check("stat_values_one_place", sql`num_nonnulls(${t.jurisdictionId}, ${t.agencyId}, ${t.matterId}) = 1`),
    check("stat_values_period", sql`${t.period} ~ '^[0-9]{4}(-(0[1-9]|1[0-2]))?$'`),
    uniqueIndex("stat_values_key").on(
      t.metric,
      sql`coalesce(${t.jurisdictionId}, ${t.agencyId}, ${t.matterId})`,
      t.period,
      t.sourceId,
    ),
    index("stat_values_jurisdiction_idx").on(t.jurisdictionId, t.metric, t.period),
    index("stat_values_agency_idx").on(t.agencyId, t.metric, t.period),
    index("stat_values_matter_idx").on(t.matterId, t.metric, t.period),
    index("stat_values_source_idx").on(t.sourceId),
  ],
);

/**
 * How a bundled source's places were matched to jurisdictions: every place the source names,
 * with the jurisdiction it was matched to or none (its rows were then not imported).
 */
export const statPlaceMatches = pgTable(
  "stat_place_matches",
  {
    sourceId: uuid("source_id")
      .notNull()
      .references(() => statSources.id, { onDelete: "cascade" }),
    sourcePlace: text("source_place").notNull(),
    sourceName: text("source_name").notNull(),
    jurisdictionId: uuid("jurisdiction_id").references(() => jurisdictions.id, { onDelete: "set null" }),
    method: text("method").notNull(),
    rows: integer("rows").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.sourcePlace] })],
);

/**
 * What became of one occurrence of a deadline: met (on a day, with evidence), waived, or
 * extended by an order, and who answers for it. An occurrence is its deadline and the day it
 * falls due (a recurring duty's occurrences are never stored, only those a person acted on).
 */
export const deadlineOccurrenceStates = pgTable(
  "deadline_occurrence_states",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deadlineId: uuid("deadline_id")
      .notNull()
      .references(() => provisionDeadlines.id, { onDelete: "cascade" }),
    /** The day the occurrence falls due as computed (YYYY-MM-DD): with the deadline, its identity. */
    dueOn: text("due_on").notNull(),
    /** open, met or waived. */
    state: text("state").notNull().default("open"),
    metOn: text("met_on"),
    /** [{ documentId, page }]: where the record shows it was met. */
    evidence: jsonb("evidence").$type<{ documentId: string; page?: number }[]>().notNull().default([]),
    /** The day an order moved it to, and the order (a document or an event). */
    extendedTo: text("extended_to"),
    extendedBy: jsonb("extended_by").$type<{ documentId?: string; eventId?: string }>(),
    assigneeUserId: uuid("assignee_user_id").references(() => users.id, { onDelete: "set null" }),
    /** An office answering for it (the city's compliance bureau…), in words. */
    assigneeOffice: text("assignee_office"),
    note: text("note"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    uniqueIndex("deadline_occurrence_states_key").on(t.deadlineId, t.dueOn),
    index("deadline_occurrence_states_assignee_idx").on(t.assigneeUserId),
    check("deadline_occurrence_states_state_check", sql`${t.state} in ('open', 'met', 'waived')`),
  ],
);

/**
 * A search (its words and filters) or a calendar filter a user kept under a name, to run again,
 * watch, or follow as a calendar feed. Each user's own: nobody else reads it.
 */
export const savedSearches = pgTable(
  "saved_searches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** search or calendar. */
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** The filters as the search page or the calendar takes them (SavedSearchFilters, SavedCalendarFilter). */
    query: jsonb("query").$type<Record<string, unknown>>().notNull(),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    index("saved_searches_user_idx").on(t.userId, t.kind),
    check("saved_searches_kind_check", sql`${t.kind} in ('search', 'calendar')`),
  ],
);

/**
 * A user's calendar feed token: the secret in an ICS address a calendar program polls, which
 * reads that user's calendar and nothing else. Only its hash is stored.
 */
export const calendarFeedTokens = pgTable(
  "calendar_feed_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The saved calendar filter the feed follows (null: the user's whole calendar). */
    savedSearchId: uuid("saved_search_id").references(() => savedSearches.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "string" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    uniqueIndex("calendar_feed_tokens_hash_key").on(t.tokenHash),
    index("calendar_feed_tokens_user_idx").on(t.userId),
  ],
);
/**
 * Every HTTP CSV import (statistics, a monitor report's ratings) and how it ended. A succeeded
 * import's row is written inside the import's transaction (a crash leaves none); a failed one's
 * after the rollback, with its IMPORT_FAILED audit entry. The Idempotency-Key (per user), the
 * request's hash and the answer are kept 24 hours, for retries to replay.
 */
export const imports = pgTable(
  "imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** statistics or assessments. */
    kind: text("kind").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** The matter an assessments import was for, once it was found. */
    matterId: uuid("matter_id").references(() => matters.id, { onDelete: "set null" }),
    /** succeeded or failed. */
    status: text("status").notNull(),
    fileSha256: text("file_sha256").notNull(),
    fileBytes: integer("file_bytes").notNull(),
    rowCount: integer("row_count").notNull(),
    rowsWritten: integer("rows_written").notNull(),
    /** A failed import's error code, message and first row errors (ImportErrorReport). */
    errorReport: jsonb("error_report"),
    idempotencyKey: text("idempotency_key"),
    /** SHA-256 of what the request asked (route, parameters, file): the same key with another request is refused. */
    requestSha256: text("request_sha256"),
    /** The status and body answered, replayed to a retry with the same key. */
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "string" }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("imports_actor_idempotency_key").on(t.actorId, t.idempotencyKey),
    index("imports_started_idx").on(t.startedAt, t.id),
    index("imports_matter_idx").on(t.matterId),
    check("imports_kind_check", sql`${t.kind} in ('statistics', 'assessments')`),
    check("imports_status_check", sql`${t.status} in ('succeeded', 'failed')`),
  ],
);

// Watches, notifications, webhooks (issue 19): their own file, so that drizzle-kit sees them here.
export * from "./schema-notifications.js";
