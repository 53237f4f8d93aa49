import { describe, expect, it } from "vitest";
import {
  can,
  canApply,
  DRAFT_STATUSES,
  type Permission,
  REVIEW_ACTIONS,
  REVIEW_STATUSES,
  type ReviewAction,
  type ReviewStatus,
  ROLES,
  type Role,
} from "../src/index.js";

/**
 * Z6: the abilities snapshot. For a review in each state, what each role may do, computed from
 * the policy code itself (`can` for the permission, `canApply` for the state, the draft statuses
 * for reading) and compared with the table below, written out by hand: a change of the policy
 * that changes who may do what fails here and must change the table with it.
 *
 * The permission each action needs is the one its route declares (authorization-matrix.test.ts
 * checks the routes against their policies). Who among the permitted (the assigned reviewer, not
 * the drafter for sign-off) is the server's own guard, tested in reviews.test.ts.
 */
const ACTION_PERMISSION: Record<ReviewAction, Permission> = {
  edit: "reviews:write",
  submit: "reviews:write",
  approve: "reviews:approve",
  return: "reviews:approve",
  reopen: "cycles:manage",
};

function abilities(role: Role, status: ReviewStatus): string {
  const read =
    can({ role }, "reviews:read") &&
    (!DRAFT_STATUSES.includes(status) || can({ role }, "reviews:read-drafts"));
  if (!read) return "-";
  const actions = REVIEW_ACTIONS.filter((a) => can({ role }, ACTION_PERMISSION[a]) && canApply(a, status));
  return ["read", ...actions].join(" ");
}

/** The committed snapshot: status → role → what they may do. */
const SNAPSHOT: Record<ReviewStatus, Record<Role, string>> = {
  not_started: {
    admin: "read edit submit",
    approver: "read",
    reviewer: "read edit submit",
    monitor: "-",
    viewer: "-",
  },
  draft: {
    admin: "read edit submit",
    approver: "read",
    reviewer: "read edit submit",
    monitor: "-",
    viewer: "-",
  },
  submitted: {
    admin: "read approve return",
    approver: "read approve return",
    reviewer: "read",
    monitor: "-",
    viewer: "read",
  },
  returned: {
    admin: "read edit submit",
    approver: "read",
    reviewer: "read edit submit",
    monitor: "-",
    viewer: "-",
  },
  approved: {
    admin: "read reopen",
    approver: "read",
    reviewer: "read",
    monitor: "-",
    viewer: "read",
  },
};

describe("Z6: abilities snapshot of a review, by role and state", () => {
  it("Z6: the policy gives each role in each state exactly the committed abilities", () => {
    const computed = Object.fromEntries(
      REVIEW_STATUSES.map((status) => [
        status,
        Object.fromEntries(ROLES.map((role) => [role, abilities(role, status)])),
      ]),
    );
    expect(computed).toEqual(SNAPSHOT);
  });

  it("Z6: an approved (final) review is edited, submitted or signed off by no role: only reopened", () => {
    for (const role of ROLES) {
      const may = abilities(role, "approved").split(" ");
      for (const action of ["edit", "submit", "approve", "return"]) expect(may, role).not.toContain(action);
    }
    expect(ROLES.filter((role) => abilities(role, "approved").includes("reopen"))).toEqual(["admin"]);
  });

  it("Z6: nobody drafts and signs off in the same state", () => {
    for (const status of REVIEW_STATUSES)
      for (const role of ROLES) {
        const may = abilities(role, status);
        expect(may.includes("edit") && may.includes("approve"), `${role} ${status}`).toBe(false);
      }
  });
});
