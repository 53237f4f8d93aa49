import {
  AGENCY_KIND_LABELS,
  AUDIT_ACTION_LABELS,
  AUDIT_ENTITY_LABELS,
  type AuditEntry,
  EVENT_KIND_LABELS,
  formatPartialDate,
  isAuditAction,
  MATTER_KIND_LABELS,
  MATTER_STATUS_LABELS,
  ROLE_LABELS,
} from "@accord/domain";
import { formatDateTime, formatMomentDay } from "./dates";

/*
 * Reading audit entries as a person: which fields changed, from what to what, in words rather
 * than JSON. Entries written by the API hold records as the API shows them (camelCase); the
 * bundled data's import wrote database rows (snake_case): both read the same here.
 */

/** Fields every change touches, or that hold another list of records: not worth listing. */
const SKIPPED = new Set([
  "id",
  "version",
  "createdAt",
  "created_at",
  "updatedAt",
  "updated_at",
  "events",
  "matterCount",
  "matter_count",
  "passwordHash",
  "password_hash",
]);

const FIELD_LABELS: Record<string, string> = {
  openedOn: "Opened",
  findingsOn: "Findings",
  agreementOn: "Agreement",
  enteredOn: "Entered",
  endedOn: "Ended",
  statusNote: "Status note",
  caseNumber: "Case number",
  stateCode: "State",
  fips: "FIPS code",
  newDate: "New date",
  jurisdictionId: "Jurisdiction",
  matterId: "Matter",
  agencyIds: "Agencies",
  displayName: "Display name",
  username: "User name",
  populationYear: "Population year",
  startYear: "Start year",
  lastSeenAt: "Last seen",
  related: "Related matters",
};

/** "MATTER_UPDATED" → "Matter updated", "api_token" → "API token". */
export function humanize(code: string): string {
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  const text = words.replace(/\bapi\b/g, "API").replace(/\bcsv\b/g, "CSV");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function fieldLabel(key: string): string {
  const k = camel(key);
  return FIELD_LABELS[k] ?? humanize(k);
}

/** An action in the domain's words; one the domain does not know (an old row) made readable. */
export const actionLabel = (action: string) =>
  isAuditAction(action) ? AUDIT_ACTION_LABELS[action] : humanize(action);

/** The record types in the domain's words; the log's own unknown ones fall back to `humanize`. */
const ENTITY_LABELS: Readonly<Record<string, string>> = AUDIT_ENTITY_LABELS;

export const entityLabel = (entity: string) => ENTITY_LABELS[entity] ?? humanize(entity);

/** Who made a change: "rita · Reviewer"; the import's "system" has no role. */
export function roleLabel(role: string | null): string | null {
  if (!role) return null;
  return (ROLE_LABELS as Record<string, string>)[role] ?? humanize(role);
}

// ---------------------------------------------------------------- values

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

const KIND_LABELS: Record<string, Record<string, string>> = {
  matter: MATTER_KIND_LABELS,
  event: EVENT_KIND_LABELS,
  agency: AGENCY_KIND_LABELS,
};

/** The names the server gave for the ids an entry holds (AuditEntry.names). */
export type RecordNames = Readonly<Record<string, string>>;

/** One value in words: labels for codes, readable dates, names for linked records. */
export function formatValue(value: unknown, key = "", entity = "", names: RecordNames = {}): string {
  if (value === null || value === undefined || value === "") return "—";
  const k = camel(key);
  if (typeof value === "string" && Object.hasOwn(names, value)) return names[value] as string;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return k === "population" ? value.toLocaleString("en-US") : String(value);
  if (typeof value === "string") {
    if (k === "status") return (MATTER_STATUS_LABELS as Record<string, string>)[value] ?? humanize(value);
    if (k === "kind") return KIND_LABELS[entity]?.[value] ?? humanize(value);
    if (k === "role") return roleLabel(value) ?? value;
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatTime(value);
    if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return formatPartialDate(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => formatValue(v, "", entity, names)).join("; ");
  if (isRecord(value)) return formatRecord(value, entity);
  return String(value);
}

/** A linked record or a source: by its name, title or citation. */
function formatRecord(value: Record<string, unknown>, entity: string): string {
  const name = value.name ?? value.title ?? value.displayName ?? value.username;
  if (typeof name === "string") {
    const where = typeof value.stateCode === "string" ? `, ${value.stateCode}` : "";
    return `${name}${where}`;
  }
  if (typeof value.citation === "string") {
    const parts = [value.citation];
    if (typeof value.url === "string" && value.url) parts.push(value.url);
    if (typeof value.note === "string" && value.note) parts.push(`(${value.note})`);
    return parts.join(" — ");
  }
  return Object.entries(value)
    .filter(([, v]) => !isEmptyValue(v))
    .map(([k, v]) => `${fieldLabel(k)}: ${formatValue(v, k, entity)}`)
    .join(", ");
}

/** A moment, "12 May 2025, 18:41" (see lib/dates). */
export const formatTime = formatDateTime;

/** The day of a moment, "12 May 2025": where the time of day would be noise. */
export const formatDay = formatMomentDay;

/**
 * "Signed in as alma (Alma Approver) · Approving official": the display name only where it
 * says more than the user name and the role ("admin (Administrator) · Administrator" did not).
 */
export function signedInAs(user: { username: string; displayName: string | null; role: string }): string {
  const role = roleLabel(user.role) ?? user.role;
  const name = user.displayName?.trim();
  const named = name && name !== user.username && name !== role ? ` (${name})` : "";
  return `Signed in as ${user.username}${named} · ${role}`;
}

/** A person as lists name them: the display name, or the user name when there is none. */
export function personName(user: { username: string; displayName: string | null }): string {
  return user.displayName ?? user.username;
}

// ---------------------------------------------------------------- changes

export interface FieldChange {
  key: string;
  label: string;
  before: unknown;
  after: unknown;
  /** A list field: its items, to mark what was added and removed. */
  list: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields that differ between `before` and `after`, in the record's own order. A record
 * that was created (or deleted) lists the fields it was created with (or had).
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const b = isRecord(before) ? before : before == null ? {} : { value: before };
  const a = isRecord(after) ? after : after == null ? {} : { value: after };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes: FieldChange[] = [];
  for (const key of keys) {
    if (SKIPPED.has(key)) continue;
    const was = b[key];
    const now = a[key];
    if (same(was, now)) continue;
    if (isEmptyValue(was) && isEmptyValue(now)) continue;
    changes.push({
      key,
      label: fieldLabel(key),
      before: was,
      after: now,
      list: Array.isArray(was) || Array.isArray(now),
    });
  }
  return changes;
}

/** The version a change moved a record from and to, when the entry says. */
export function versionChange(entry: AuditEntry): { from: number | null; to: number | null } {
  const v = (x: unknown) => (isRecord(x) && typeof x.version === "number" ? x.version : null);
  return { from: v(entry.before), to: v(entry.after) };
}

// ---------------------------------------------------------------- the record an entry is about

const PAGES: Record<string, (key: string) => string> = {
  matter: (key) => `/matters/${key}/history`,
  event: (key) => `/events/${key}/edit`,
  jurisdiction: (key) => `/jurisdictions/${key}/edit`,
  agency: (key) => `/agencies/${key}/edit`,
};

function pick(entry: AuditEntry, field: string): string | null {
  for (const side of [entry.after, entry.before]) {
    if (isRecord(side) && typeof side[field] === "string" && side[field]) return side[field] as string;
  }
  return null;
}

/** What an entry's record is called, and where its page (with its history) is, if it still exists. */
export function recordOf(entry: AuditEntry): { name: string; to: string | null } {
  const name =
    entry.recordName ??
    pick(entry, "title") ??
    pick(entry, "name") ??
    pick(entry, "username") ??
    pick(entry, "slug") ??
    // A record gone without a name in its entries: its kind, rather than a bare id.
    (entry.entityId ? `${entityLabel(entry.entity)} (deleted)` : "—");
  const page = PAGES[entry.entity];
  // By id: a slug may have changed since.
  const key = entry.entityId;
  const deleted = entry.action.endsWith("_DELETED");
  return { name, to: page && key && !deleted ? page(key) : null };
}
