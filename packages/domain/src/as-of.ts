import { z } from "zod";
import type { EventKind, MatterKind, MatterStatus } from "./enums.js";
import { MATTER_STATUSES } from "./enums.js";
import { LIFECYCLES } from "./lifecycle.js";

/**
 * The portfolio as of a day: a matter's status then is read from its dated facts (its key dates
 * and its events). Each dated fact that moves a matter says which status it moved to; the rules
 * below are the one place that says so, and both the server's SQL and `statusAsOf` use them.
 */

/** How a status as of a day was decided. */
export const STATUS_BASES = ["events", "record"] as const;
export type StatusBasis = (typeof STATUS_BASES)[number];

export const STATUS_BASIS_LABELS: Record<StatusBasis, string> = {
  events: "From its dated events",
  record: "As the record has it: the timeline cannot tell",
};

export const StatusAsOfSchema = z.object({
  asOf: z.string(),
  status: z.enum(MATTER_STATUSES),
  basis: z.enum(STATUS_BASES),
  /** The date of the fact that decided it (null when the record decided). */
  decidedOn: z.string().nullable(),
});
export type StatusAsOf = z.infer<typeof StatusAsOfSchema>;

/** "ended": the kind's end, which is the record's status when that is one of the kind's ends. */
export type AsOfTarget = MatterStatus | "ended";

export const DATE_FIELDS = ["openedOn", "findingsOn", "agreementOn", "enteredOn", "endedOn"] as const;
export type DateField = (typeof DATE_FIELDS)[number];

export interface AsOfRule {
  fields: Partial<Record<DateField, AsOfTarget>>;
  events: Partial<Record<EventKind, AsOfTarget>>;
  /** The end a matter of this kind reaches when the record does not say which. */
  end: MatterStatus;
}

const investigation: AsOfRule = {
  fields: {
    openedOn: "open",
    findingsOn: "findings_issued",
    agreementOn: "resolved_by_agreement",
    endedOn: "ended",
  },
  events: {
    investigation_opened: "open",
    findings_issued: "findings_issued",
    findings_withdrawn: "findings_withdrawn",
    complaint_filed: "in_litigation",
    agreement_signed: "resolved_by_agreement",
    decree_entered: "resolved_by_agreement",
    investigation_closed: "ended",
  },
  end: "closed_without_agreement",
};

const agreementEvents: AsOfRule["events"] = {
  decree_entered: "active",
  partial_termination: "partially_terminated",
  termination: "terminated",
  dismissal: "dismissed",
};

/** A consent decree is proposed when filed and active once the court enters it. */
const decree: AsOfRule = {
  fields: { openedOn: "proposed", agreementOn: "proposed", enteredOn: "active", endedOn: "ended" },
  events: { complaint_filed: "proposed", agreement_signed: "proposed", ...agreementEvents },
  end: "terminated",
};

/** A settlement or memorandum takes effect when signed. */
const signedAgreement: AsOfRule = {
  fields: { agreementOn: "active", enteredOn: "active", endedOn: "ended" },
  events: { agreement_signed: "active", ...agreementEvents },
  end: "terminated",
};

const engagement: AsOfRule = {
  fields: { openedOn: "active", agreementOn: "active", endedOn: "ended" },
  events: { agreement_signed: "active", termination: "ended" },
  end: "completed",
};

const grant: AsOfRule = {
  fields: { openedOn: "awarded", agreementOn: "awarded", endedOn: "ended" },
  events: { termination: "ended" },
  end: "closed",
};

const taskForce: AsOfRule = {
  fields: { openedOn: "active", agreementOn: "active", endedOn: "ended" },
  events: { agreement_signed: "active", termination: "ended" },
  end: "closed",
};

const review: AsOfRule = {
  fields: { openedOn: "open", findingsOn: "findings_issued", endedOn: "ended" },
  events: { investigation_opened: "open", findings_issued: "findings_issued", investigation_closed: "ended" },
  end: "closed",
};

const lawsuit: AsOfRule = {
  fields: { openedOn: "in_litigation", endedOn: "ended" },
  events: { complaint_filed: "in_litigation", dismissal: "dismissed", termination: "ended" },
  end: "closed",
};

export const AS_OF_RULES: Record<MatterKind, AsOfRule> = {
  pattern_or_practice_investigation: investigation,
  consent_decree: decree,
  settlement_agreement: signedAgreement,
  memorandum_of_agreement: signedAgreement,
  technical_assistance: engagement,
  grant,
  task_force: taskForce,
  collaborative_investigation: taskForce,
  compliance_review: review,
  lawsuit,
};

/** The statuses a kind ends in (no way out of them). */
export function endStatuses(kind: MatterKind): MatterStatus[] {
  const t = LIFECYCLES[kind].transitions;
  return (Object.keys(t) as MatterStatus[]).filter((s) => (t[s] ?? []).length === 0);
}

/** Where "ended" lands for a matter whose record has this status. */
export function endedStatus(kind: MatterKind, recordStatus: MatterStatus): MatterStatus {
  return endStatuses(kind).includes(recordStatus) ? recordStatus : AS_OF_RULES[kind].end;
}

/** The first and last day a partial date may mean: 2017 → 2017-01-01 … 2017-12-31. */
export function dayRange(date: string): [first: string, last: string] {
  if (date.length === 4) return [`${date}-01-01`, `${date}-12-31`];
  if (date.length === 7) return [`${date}-01`, `${date}-31`];
  return [date, date];
}

/** Order of statuses on one day: the later in the lifecycle wins a tie. */
const RANK = new Map<MatterStatus, number>(MATTER_STATUSES.map((s, i) => [s, i]));

export interface AsOfInput {
  kind: MatterKind;
  status: MatterStatus;
  openedOn?: string | null;
  findingsOn?: string | null;
  agreementOn?: string | null;
  enteredOn?: string | null;
  endedOn?: string | null;
}

interface Change {
  date: string;
  status: MatterStatus;
}

/** The dated facts of a matter that move its status, as (date, status). */
export function statusChanges(
  matter: AsOfInput,
  events: readonly { kind: EventKind; date: string }[],
): Change[] {
  const rule = AS_OF_RULES[matter.kind];
  const resolve = (t: AsOfTarget): MatterStatus =>
    t === "ended" ? endedStatus(matter.kind, matter.status) : t;
  const changes: Change[] = [];
  for (const field of DATE_FIELDS) {
    const target = rule.fields[field];
    const date = matter[field];
    if (target && date) changes.push({ date, status: resolve(target) });
  }
  for (const e of events) {
    const target = rule.events[e.kind];
    if (target) changes.push({ date: e.date, status: resolve(target) });
  }
  return changes;
}

/**
 * A matter's status on a day, or null when it had not begun. Facts certainly on or before the
 * day decide; when one may fall either side of it (a month or a year that spans the day), or
 * when nothing after the day is known and the latest fact does not lead to the record's status,
 * the timeline cannot tell and the record's status is given, marked so. A matter with no dated
 * fact is shown as the record has it.
 */
export function statusAsOf(
  matter: AsOfInput,
  events: readonly { kind: EventKind; date: string }[],
  asOf: string,
): StatusAsOf | null {
  const changes = statusChanges(matter, events);
  const record: StatusAsOf = { asOf, status: matter.status, basis: "record", decidedOn: null };
  if (!changes.length) return record;
  const ranged = changes.map((c) => ({ ...c, range: dayRange(c.date) }));
  if (ranged.every((c) => c.range[0] > asOf)) return null;
  if (ranged.some((c) => c.range[0] <= asOf && c.range[1] > asOf)) return record;
  const before = ranged.filter((c) => c.range[1] <= asOf);
  const after = ranged.some((c) => c.range[0] > asOf);
  // The latest fact; on one day the later status in the lifecycle, then the more precise date.
  const later = (a: (typeof before)[number], b: (typeof before)[number]) =>
    b.range[1] !== a.range[1]
      ? b.range[1] > a.range[1]
      : RANK.get(b.status) !== RANK.get(a.status)
        ? RANK.get(b.status)! > RANK.get(a.status)!
        : b.date.length !== a.date.length
          ? b.date.length > a.date.length
          : b.date > a.date;
  const last = before.reduce((a, b) => (later(a, b) ? b : a));
  if (after || last.status === matter.status)
    return { asOf, status: last.status, basis: "events", decidedOn: last.date };
  return record;
}
