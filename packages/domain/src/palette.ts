import type { MatterStatus } from "./enums.js";

/**
 * One palette for status everywhere (list badges, map, charts). Statuses fall into a few
 * groups that mean the same colour in every screen.
 */
export const STATUS_GROUPS = [
  "active",
  "pending",
  "investigating",
  "closed",
  "withdrawn",
  "unknown",
] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];

export const STATUS_GROUP_OF: Record<MatterStatus, StatusGroup> = {
  open: "investigating",
  findings_issued: "investigating",
  in_litigation: "investigating",
  resolved_by_agreement: "closed",
  closed_without_agreement: "closed",
  findings_withdrawn: "withdrawn",
  proposed: "pending",
  active: "active",
  partially_terminated: "active",
  terminated: "closed",
  dismissed: "withdrawn",
  requested: "pending",
  awarded: "active",
  withheld: "withdrawn",
  completed: "closed",
  discontinued: "withdrawn",
  closed: "closed",
  unknown: "unknown",
};

export const STATUS_GROUP_LABELS: Record<StatusGroup, string> = {
  active: "Active agreement",
  pending: "Proposed or pending",
  investigating: "Under investigation",
  closed: "Closed or completed",
  withdrawn: "Dismissed or withdrawn",
  unknown: "Status unknown",
};

/** Mantine colour names, so that the web app and the charts agree. */
export const STATUS_GROUP_COLORS: Record<StatusGroup, string> = {
  active: "blue",
  pending: "violet",
  investigating: "orange",
  closed: "gray",
  withdrawn: "red",
  unknown: "yellow",
};

/** Hex values of the same colours, for SVG and charts outside Mantine's theme. */
export const STATUS_GROUP_HEX: Record<StatusGroup, string> = {
  active: "#228be6",
  pending: "#7950f2",
  investigating: "#fd7e14",
  closed: "#868e96",
  withdrawn: "#fa5252",
  unknown: "#fab005",
};

/**
 * Which status matters most when one place has several matters (for the map): an active
 * agreement outranks an open investigation, which outranks anything closed.
 */
export const STATUS_GROUP_RANK: Record<StatusGroup, number> = {
  active: 5,
  investigating: 4,
  pending: 3,
  withdrawn: 2,
  closed: 1,
  unknown: 0,
};

export function statusGroup(status: MatterStatus): StatusGroup {
  return STATUS_GROUP_OF[status];
}

export function mostSignificantGroup(statuses: readonly MatterStatus[]): StatusGroup | null {
  let best: StatusGroup | null = null;
  for (const s of statuses) {
    const g = STATUS_GROUP_OF[s];
    if (best === null || STATUS_GROUP_RANK[g] > STATUS_GROUP_RANK[best]) best = g;
  }
  return best;
}
