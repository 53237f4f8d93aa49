import type { MatterKind, MatterStatus } from "./enums.js";

/**
 * Each kind of matter has its own lifecycle: the statuses it may be in, the one it starts in,
 * and the moves allowed between them. This table is the one place these rules live.
 */
export interface Lifecycle {
  initial: MatterStatus;
  transitions: Partial<Record<MatterStatus, readonly MatterStatus[]>>;
}

const investigation: Lifecycle = {
  initial: "open",
  transitions: {
    open: ["findings_issued", "in_litigation", "resolved_by_agreement", "closed_without_agreement"],
    findings_issued: [
      "in_litigation",
      "resolved_by_agreement",
      "closed_without_agreement",
      "findings_withdrawn",
    ],
    in_litigation: ["resolved_by_agreement", "closed_without_agreement", "findings_withdrawn"],
    resolved_by_agreement: [],
    closed_without_agreement: ["open"],
    findings_withdrawn: [],
  },
};

const agreement: Lifecycle = {
  initial: "proposed",
  transitions: {
    proposed: ["active", "dismissed"],
    active: ["partially_terminated", "terminated", "dismissed"],
    partially_terminated: ["terminated", "dismissed"],
    terminated: [],
    dismissed: [],
  },
};

const engagement: Lifecycle = {
  initial: "requested",
  transitions: {
    requested: ["active", "discontinued"],
    active: ["completed", "discontinued"],
    completed: [],
    discontinued: [],
  },
};

const grant: Lifecycle = {
  initial: "awarded",
  transitions: {
    awarded: ["active", "withheld", "closed"],
    active: ["withheld", "closed"],
    withheld: ["active", "closed"],
    closed: [],
  },
};

const taskForce: Lifecycle = {
  initial: "active",
  transitions: { active: ["closed"], closed: [] },
};

const review: Lifecycle = {
  initial: "open",
  transitions: { open: ["findings_issued", "closed"], findings_issued: ["closed"], closed: [] },
};

const lawsuit: Lifecycle = {
  initial: "in_litigation",
  transitions: { in_litigation: ["closed", "dismissed"], closed: [], dismissed: [] },
};

export const LIFECYCLES: Record<MatterKind, Lifecycle> = {
  pattern_or_practice_investigation: investigation,
  consent_decree: agreement,
  settlement_agreement: agreement,
  memorandum_of_agreement: agreement,
  technical_assistance: engagement,
  grant,
  task_force: taskForce,
  collaborative_investigation: taskForce,
  compliance_review: review,
  lawsuit,
};

/**
 * The statuses a matter of this kind may have. Every kind may also be "unknown": what a record
 * holds when its sources do not state a status. A matter leaves "unknown" for any status.
 */
export function statusesFor(kind: MatterKind): MatterStatus[] {
  return [...(Object.keys(LIFECYCLES[kind].transitions) as MatterStatus[]), "unknown"];
}

export function isStatusAllowed(kind: MatterKind, status: MatterStatus): boolean {
  return status === "unknown" || status in LIFECYCLES[kind].transitions;
}

/** Whether a matter of this kind may move from one status to another (staying put is allowed). */
export function canTransition(kind: MatterKind, from: MatterStatus, to: MatterStatus): boolean {
  if (from === to || from === "unknown") return isStatusAllowed(kind, to);
  return LIFECYCLES[kind].transitions[from]?.includes(to) ?? false;
}

/** The statuses reachable in one step, for offering in a form. */
export function nextStatuses(kind: MatterKind, from: MatterStatus): MatterStatus[] {
  return [...(LIFECYCLES[kind].transitions[from] ?? [])];
}
