import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { jurisdictions, matters, provisions, savedSearches, users } from "./schema.js";

/*
 * Watches, notifications, e-mail settings, webhooks and the last-visit marker (issue 19, items
 * 4–7). Notifications and deliveries are written by the job runner after a change commits, from
 * the audit log (see modules/notifications/dispatch.ts).
 */

const createdAt = timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow();

/** What a user follows: one matter, jurisdiction or provision, keywords, or a saved search. */
export const watches = pgTable(
  "watches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** matter, jurisdiction, provision or keywords: exactly the matching column is set. */
    target: text("target").notNull(),
    matterId: uuid("matter_id").references(() => matters.id, { onDelete: "cascade" }),
    jurisdictionId: uuid("jurisdiction_id").references(() => jurisdictions.id, { onDelete: "cascade" }),
    provisionId: uuid("provision_id").references(() => provisions.id, { onDelete: "cascade" }),
    /** The keywords, lower-cased and single-spaced. */
    keywords: text("keywords"),
    /** A saved search of the user's: its words and filters are matched. */
    savedSearchId: uuid("saved_search_id").references(() => savedSearches.id, { onDelete: "cascade" }),
    createdAt,
  },
  (t) => [
    uniqueIndex("watches_user_target_key").on(
      t.userId,
      t.target,
      sql`coalesce(${t.matterId}, ${t.jurisdictionId}, ${t.provisionId}, ${t.savedSearchId})`,
      sql`coalesce(${t.keywords}, '')`,
    ),
    index("watches_matter_idx").on(t.matterId),
    index("watches_jurisdiction_idx").on(t.jurisdictionId),
    index("watches_provision_idx").on(t.provisionId),
    index("watches_saved_search_idx").on(t.savedSearchId),
    check(
      "watches_target_check",
      sql`(${t.target} = 'matter' and ${t.matterId} is not null) or (${t.target} = 'jurisdiction' and ${t.jurisdictionId} is not null) or (${t.target} = 'provision' and ${t.provisionId} is not null) or (${t.target} = 'keywords' and ${t.keywords} is not null) or (${t.target} = 'saved_search' and ${t.savedSearchId} is not null)`,
    ),
  ],
);

/** One entry of a user's inbox. The audit entry it came from makes producing it idempotent. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    detail: text("detail"),
    link: text("link").notNull(),
    entity: text("entity").notNull(),
    entityId: uuid("entity_id"),
    /** The audit entry (its chain_seq) this notification tells of. */
    auditSeq: bigint("audit_seq", { mode: "number" }),
    /**
     * For a deadline's notification (not from the audit log): the day the occurrence falls due, as
     * the decree counts it. With the deadline (entity_id) and kind it is told once per user.
     */
    dueOn: text("due_on"),
    /** Whether the user wants it in the inbox (false: e-mail only). */
    inApp: boolean("in_app").notNull().default(true),
    /** Waiting to be e-mailed (immediately or in the next digest); null once sent or not wanted. */
    emailPending: boolean("email_pending").notNull().default(false),
    emailedAt: timestamp("emailed_at", { withTimezone: true, mode: "string" }),
    readAt: timestamp("read_at", { withTimezone: true, mode: "string" }),
    createdAt,
  },
  (t) => [
    uniqueIndex("notifications_source_key").on(t.userId, t.auditSeq, t.kind),
    uniqueIndex("notifications_occurrence_key")
      .on(t.userId, t.entityId, t.dueOn, t.kind)
      .where(sql`${t.dueOn} is not null`),
    index("notifications_user_idx").on(t.userId, t.createdAt),
    index("notifications_email_idx").on(t.userId).where(sql`${t.emailPending}`),
  ],
);

/** A user's e-mail address and choices, per-kind preferences and last visit. */
export const notificationSettings = pgTable("notification_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  email: text("email"),
  /** off, immediate or daily. */
  emailMode: text("email_mode").notNull().default("off"),
  /** Per kind: { inApp, email }; a kind not listed is on for both. */
  kinds: jsonb("kinds").$type<Record<string, { inApp: boolean; email: boolean }>>().notNull().default({}),
  lastDigestAt: timestamp("last_digest_at", { withTimezone: true, mode: "string" }),
  /** The last time the user marked the dashboard's changes as seen. */
  lastVisitAt: timestamp("last_visit_at", { withTimezone: true, mode: "string" }),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

/** An address other systems receive signed change notices at. */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  url: text("url").notNull(),
  kinds: jsonb("kinds").$type<string[]>().notNull(),
  description: text("description"),
  /** The HMAC-SHA256 key; shown once at creation, kept to sign every delivery. */
  secret: text("secret").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt,
});

/** One change sent (or to send) to one webhook: its body, status and attempts. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    auditSeq: bigint("audit_seq", { mode: "number" }),
    /** For a deadline's delivery (not from the audit log): its deadline, due day and kind. */
    sourceKey: text("source_key"),
    /** The exact body sent (the signature covers it). */
    body: text("body").notNull(),
    /** pending, delivered or failed. */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseCode: integer("response_code"),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "string" }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, mode: "string" }),
    createdAt,
  },
  (t) => [
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
    uniqueIndex("webhook_deliveries_source_key").on(t.webhookId, t.auditSeq),
    uniqueIndex("webhook_deliveries_occurrence_key")
      .on(t.webhookId, t.sourceKey)
      .where(sql`${t.sourceKey} is not null`),
  ],
);
