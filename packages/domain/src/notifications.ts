import { z } from "zod";

/*
 * What a user follows (watches) and what they are told (notifications, e-mail), the webhooks
 * other systems receive, and "what changed since my last visit". The server produces
 * notifications and deliveries after a change commits, from the audit log, in its job runner.
 */

// ---------------------------------------------------------------- watches

/** What can be watched: a matter, a jurisdiction (its matters), a provision, keywords or a saved search. */
export const WATCH_TARGETS = ["matter", "jurisdiction", "provision", "keywords", "saved_search"] as const;
export type WatchTarget = (typeof WATCH_TARGETS)[number];

export const WATCH_TARGET_LABELS: Record<WatchTarget, string> = {
  matter: "Matter",
  jurisdiction: "Jurisdiction",
  provision: "Provision",
  keywords: "Keywords",
  saved_search: "Saved search",
};

export const CreateWatchSchema = z.discriminatedUnion("target", [
  z.strictObject({
    target: z.literal("matter"),
    /** The matter's id or slug. */
    key: z.string().trim().min(1).max(120),
  }),
  z.strictObject({
    target: z.literal("jurisdiction"),
    /** The jurisdiction's id or slug. */
    key: z.string().trim().min(1).max(120),
  }),
  z.strictObject({
    target: z.literal("provision"),
    /** The provision's id. */
    key: z.uuid(),
  }),
  z.strictObject({
    target: z.literal("keywords"),
    /** Words that must all appear in a new event's or document's title, description or matter. */
    keywords: z.string().trim().min(2).max(200),
  }),
  z.strictObject({
    target: z.literal("saved_search"),
    /** One of your saved searches (not a calendar filter): its words and filters are matched. */
    key: z.uuid(),
  }),
]);
export type CreateWatch = z.output<typeof CreateWatchSchema>;

export const WatchSchema = z.object({
  id: z.uuid(),
  target: z.enum(WATCH_TARGETS),
  /** The watched record's id (null for a keyword watch). */
  targetId: z.string().nullable(),
  /** The watched record's slug, for links (null for provisions and keywords). */
  targetSlug: z.string().nullable(),
  /** What the watch is on, in words: the matter's title, the provision's label, the keywords. */
  label: z.string(),
  keywords: z.string().nullable(),
  /** Where the watched record is shown (null for keywords). */
  link: z.string().nullable(),
  createdAt: z.string(),
});
export type Watch = z.infer<typeof WatchSchema>;

// ---------------------------------------------------------------- notifications

/**
 * What a user may be told. Most come from changes (the audit log); the deadline ones from the job
 * runner's periodic sweep of deadline occurrences.
 */
export const NOTIFICATION_KINDS = [
  "event_added",
  "document_added",
  "review_assigned",
  "review_returned",
  "review_awaiting_approval",
  "rating_lowered",
  "deadline_approaching",
  "deadline_missed",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  event_added: "A new event on what I watch",
  document_added: "A new document on what I watch",
  review_assigned: "A review assigned to me",
  review_returned: "A review of mine returned",
  review_awaiting_approval: "A review awaiting my approval",
  rating_lowered: "A rating that went down on what I watch",
  deadline_approaching: "A deadline approaching",
  deadline_missed: "A deadline missed",
};

/**
 * How far ahead an open deadline occurrence counts as approaching: two weeks leaves time to file or
 * to ask the court for more, and a weekly duty is told of at most two occurrences ahead.
 */
export const DEADLINE_APPROACHING_DAYS = 14;

export const NotificationSchema = z.object({
  id: z.uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  /** One line of detail: the matter, the date, the level moved from and to. */
  detail: z.string().nullable(),
  /** The app's path of the record it is about. */
  link: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationListQuerySchema = z.strictObject({
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .meta({ description: "Only unread notifications" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const NotificationListSchema = z.object({
  items: z.array(NotificationSchema),
  total: z.number().int(),
  unread: z.number().int(),
});

/** How a user is e-mailed: never, each notification at once, or one digest a day. */
export const EMAIL_MODES = ["off", "immediate", "daily"] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

export const KindPreferenceSchema = z.strictObject({
  /** Shown in the inbox. */
  inApp: z.boolean(),
  /** Sent by e-mail (immediately or in the digest, as the user chose). */
  email: z.boolean(),
});

export const NotificationPreferencesSchema = z.object({
  email: z.email().nullable(),
  emailMode: z.enum(EMAIL_MODES),
  kinds: z.record(z.enum(NOTIFICATION_KINDS), KindPreferenceSchema),
  /** Whether the server can send e-mail at all (ACCORD_SMTP_URL is set). */
  emailAvailable: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;

export const UpdateNotificationPreferencesSchema = z.strictObject({
  email: z.email().max(254).nullable().optional(),
  emailMode: z.enum(EMAIL_MODES).optional(),
  kinds: z.partialRecord(z.enum(NOTIFICATION_KINDS), KindPreferenceSchema).optional(),
});
export type UpdateNotificationPreferences = z.output<typeof UpdateNotificationPreferencesSchema>;

// ---------------------------------------------------------------- webhooks

/** The changes a webhook may subscribe to, each from one or more audit actions. */
export const WEBHOOK_EVENT_KINDS = [
  "matter.created",
  "matter.updated",
  "matter.deleted",
  "event.created",
  "event.updated",
  "event.deleted",
  "document.added",
  "review.assigned",
  "review.submitted",
  "review.approved",
  "review.returned",
  "ratings.saved",
  // From the job runner's sweep of deadline occurrences, once per occurrence (not from a change).
  "deadline.approaching",
  "deadline.missed",
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

export const CreateWebhookSchema = z.strictObject({
  url: z.url().max(2000),
  kinds: z.array(z.enum(WEBHOOK_EVENT_KINDS)).min(1).max(WEBHOOK_EVENT_KINDS.length),
  description: z.string().trim().max(200).optional(),
});
export type CreateWebhook = z.output<typeof CreateWebhookSchema>;

export const WebhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  kinds: z.array(z.enum(WEBHOOK_EVENT_KINDS)),
  description: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** A new webhook with its signing secret, shown only in this answer. */
export const NewWebhookSchema = WebhookSchema.extend({ secret: z.string() });

/** pending (waiting for its first or next attempt), delivered, or failed (attempts exhausted). */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;

export const WebhookDeliverySchema = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  kind: z.enum(WEBHOOK_EVENT_KINDS),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** The receiver's HTTP status at the last attempt (null: no answer). */
  responseCode: z.number().int().nullable(),
  /** Why the last attempt failed (a connection error, a refused address, a status). */
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

// ---------------------------------------------------------------- since my last visit

export const ChangeSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  /** The action in words ("Event created"). */
  label: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  /** The record's name (a matter's title, an event's title, a document's title). */
  title: z.string().nullable(),
  link: z.string().nullable(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const SinceLastVisitSchema = z.object({
  /** Where this list starts: the last "mark as seen", else the account's creation (at most 7 days back). */
  since: z.string(),
  /** Whether `since` is a "mark as seen" (false: no visit has been marked yet). */
  marked: z.boolean(),
  items: z.array(ChangeSchema),
  /** How many changes there are in all (items holds at most 50). */
  total: z.number().int(),
});
export type SinceLastVisit = z.infer<typeof SinceLastVisitSchema>;
