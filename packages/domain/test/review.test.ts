import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CreateCycleSchema,
  can,
  canApply,
  DEFAULT_RATING_SCALE,
  REVIEW_ACTIONS,
  REVIEW_STATUSES,
  refusal,
  statusAfter,
} from "../src/index.js";

describe("the review's state machine", () => {
  it("goes draft → submitted → returned → submitted → approved → reopened", () => {
    let s = statusAfter("edit", "not_started");
    expect(s).toBe("draft");
    s = statusAfter("submit", s);
    expect(s).toBe("submitted");
    s = statusAfter("return", s);
    expect(s).toBe("returned");
    // Amending a returned review keeps it "returned" until it is submitted again.
    expect(statusAfter("edit", s)).toBe("returned");
    s = statusAfter("submit", s);
    s = statusAfter("approve", s);
    expect(s).toBe("approved");
    expect(statusAfter("reopen", s)).toBe("draft");
  });

  it("refuses to approve a draft or edit an approved review, naming the current state", () => {
    expect(canApply("approve", "draft")).toBe(false);
    expect(() => statusAfter("approve", "draft")).toThrow('The review is "drafting"');
    expect(canApply("edit", "approved")).toBe(false);
    expect(refusal("edit", "approved")).toBe(
      'The review is "approved": it can be edited only when it is "not started" or "drafting" or "returned"',
    );
    expect(canApply("edit", "submitted")).toBe(false);
    expect(canApply("reopen", "submitted")).toBe(false);
  });

  it("never leaves the known statuses, and only approval leads to approved (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...REVIEW_ACTIONS), { maxLength: 30 }), (actions) => {
        let status: (typeof REVIEW_STATUSES)[number] = "not_started";
        for (const a of actions) {
          if (!canApply(a, status)) continue;
          const next = statusAfter(a, status);
          expect(REVIEW_STATUSES).toContain(next);
          if (next === "approved") expect(a).toBe("approve");
          status = next;
        }
      }),
    );
  });
});

describe("review permissions", () => {
  it("lets reviewers draft, approvers approve, admins manage; viewers read no drafts; monitors stay out", () => {
    expect(can({ role: "reviewer" }, "reviews:write")).toBe(true);
    expect(can({ role: "reviewer" }, "reviews:approve")).toBe(false);
    expect(can({ role: "approver" }, "reviews:approve")).toBe(true);
    expect(can({ role: "approver" }, "reviews:write")).toBe(false);
    expect(can({ role: "viewer" }, "reviews:read")).toBe(true);
    expect(can({ role: "viewer" }, "reviews:read-drafts")).toBe(false);
    expect(can({ role: "monitor" }, "reviews:read")).toBe(false);
    expect(can({ role: "admin" }, "cycles:manage")).toBe(true);
    expect(can({ role: "approver" }, "cycles:manage")).toBe(false);
  });
});

describe("cycle schema", () => {
  it("defaults the rating scale and refuses a criterion code used twice", () => {
    const ok = CreateCycleSchema.parse({ slug: "c-1", name: "C", criteria: [{ code: "1", title: "One" }] });
    expect(ok.ratingScale).toEqual(DEFAULT_RATING_SCALE);
    const bad = CreateCycleSchema.safeParse({
      slug: "c-1",
      name: "C",
      criteria: [
        { code: "A", title: "One" },
        { code: "a", title: "Two" },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["criteria", 1, "code"]);
  });
});
