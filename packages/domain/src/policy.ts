/**
 * Who may do what: the one place to read it. The server enforces it on every route (each route
 * names the permission it needs) and the web app asks it which actions to offer.
 */
export const ROLES = ["admin", "approver", "reviewer", "monitor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  approver: "Approving official",
  reviewer: "Reviewer",
  monitor: "Monitor",
  viewer: "Viewer",
};

export const PERMISSIONS = [
  /** Read matters, events, jurisdictions, agencies, the dashboard and records' history. */
  "registry:read",
  /** Create, edit and delete matters, events, jurisdictions and agencies. */
  "registry:write",
  /** Create users, change their roles, deactivate them, reset their passwords. */
  "users:manage",
  /** Read the whole audit log. */
  "audit:read",
  /** Read review cycles and the reviews that have been submitted or approved. */
  "reviews:read",
  /** Read reviews still being drafted (not started, drafting, returned). */
  "reviews:read-drafts",
  /** Draft and submit the reviews assigned to oneself. */
  "reviews:write",
  /** Approve submitted reviews, or return them with comments. */
  "reviews:approve",
  /** Create, edit, start and copy review cycles; assign reviews; reopen approved ones. */
  "cycles:manage",
  /**
   * Set a matter's compliance scale and reporting periods, rate its provisions, record the court's
   * sustainment dates and section terminations (a monitor: on the matters assigned to them).
   */
  "compliance:rate",
  /**
   * Mark a deadline met (with evidence), waived or extended by an order, and say who answers for
   * it (a monitor: on the matters assigned to them).
   */
  "deadlines:manage",
  /** Register webhooks for other systems, read their deliveries and send them again. */
  "webhooks:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  approver: ["registry:read", "reviews:read", "reviews:read-drafts", "reviews:approve"],
  reviewer: [
    "registry:read",
    "registry:write",
    "reviews:read",
    "reviews:read-drafts",
    "reviews:write",
    "deadlines:manage",
  ],
  // A monitor reads only the matters they are assigned to (the server narrows every read), rates
  // compliance on those matters only, and takes no part in reviews.
  monitor: ["registry:read", "compliance:rate", "deadlines:manage"],
  // Viewers read everything but drafts of reviews.
  viewer: ["registry:read", "reviews:read"],
};

export interface Actor {
  /** null for an anonymous visitor. */
  userId: string | null;
  username: string;
  role: Role | null;
}

export const ANONYMOUS: Actor = { userId: null, username: "anonymous", role: null };

/** Whether this actor holds the permission. Anonymous visitors hold none (public reading is separate). */
export function can(actor: Pick<Actor, "role">, permission: Permission): boolean {
  return actor.role !== null && GRANTS[actor.role].includes(permission);
}

export function permissionsOf(role: Role | null): Permission[] {
  return role ? [...GRANTS[role]] : [];
}

/** Monitors see only the matters they are assigned to; everyone else who may read sees all. */
export function isScopedToAssignments(actor: Pick<Actor, "role">): boolean {
  return actor.role === "monitor";
}
