import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CitationSchema,
  CreateCycleSchema,
  can,
  canApply,
  DEFAULT_RATING_SCALE,
  provisionCitationLabel,
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

  it("gives each criterion its provision topics: none by default, known ones only, each once", () => {
    const ok = CreateCycleSchema.parse({
      slug: "c-1",
      name: "C",
      criteria: [
        { code: "1", title: "One" },
        { code: "2", title: "Two", topics: ["training", "recruitment_hiring"] },
      ],
    });
    expect(ok.criteria.map((c) => c.topics)).toEqual([[], ["training", "recruitment_hiring"]]);
    const unknown = CreateCycleSchema.safeParse({
      slug: "c-1",
      name: "C",
      criteria: [{ code: "1", title: "One", topics: ["recruitment"] }],
    });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(["criteria", 0, "topics", 0]);
    const twice = CreateCycleSchema.safeParse({
      slug: "c-1",
      name: "C",
      criteria: [{ code: "1", title: "One", topics: ["training", "training"] }],
    });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.message).toBe("Name each topic once");
  });
});

describe("citations", () => {
  it("cites a provision by its number and first words", () => {
    expect(
      provisionCitationLabel({
        number: 46,
        text: "The County will ensure that  officers receive at least 40 hours of crisis intervention training.",
      }),
    ).toBe("¶ 46 — The County will ensure that officers receive at least 40…");
    expect(provisionCitationLabel({ number: 3, text: "Reserved." })).toBe("¶ 3 — Reserved.");
    expect(
      CitationSchema.parse({ type: "provision", id: "00000000-0000-4000-8000-000000000001", number: 46 }),
    ).toMatchObject({ number: 46 });
  });
});
