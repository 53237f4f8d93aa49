import { describe, expect, it } from "vitest";
import {
  applyEdit,
  type Edit,
  type GridItem,
  incompleteEdits,
  isValidPage,
  payloadOf,
  rangeBetween,
} from "../src/features/compliance/grid-draft.js";

/** The rating grid's unsaved changes: what counts as a change, and what a save sends. */

const PERIOD = "00000000-0000-4000-8000-0000000000aa";
const DOC = "00000000-0000-4000-8000-0000000000dd";

function item(n: number, assessment: Partial<NonNullable<GridItem["assessment"]>> | null = null): GridItem {
  return {
    provision: { id: `00000000-0000-4000-8000-00000000000${n}`, number: n },
    assessment: assessment && {
      level: "preliminary",
      rationale: null,
      evidence: [],
      version: 3,
      ...assessment,
    },
  } as unknown as GridItem;
}

describe("the rating grid's draft", () => {
  it("counts a change, and a change back to what was loaded as none", () => {
    const rated = item(1, { level: "preliminary", rationale: "As reported" });
    let edits = applyEdit(new Map(), rated, PERIOD, { level: "full" });
    expect(edits.size).toBe(1);
    edits = applyEdit(edits, rated, PERIOD, { level: "preliminary" });
    expect(edits.size).toBe(0);
    // Whitespace alone is no change to a rationale.
    expect(applyEdit(new Map(), rated, PERIOD, { rationale: "As reported  " }).size).toBe(0);
  });

  it("sends only what changed, with the version each change is based on (0: no rating yet)", () => {
    const rated = item(1, {
      level: "secondary",
      rationale: "Kept",
      evidence: [{ documentId: DOC, page: 4 }],
    });
    const unrated = item(2);
    let edits = applyEdit(new Map(), rated, PERIOD, { level: "full" });
    edits = applyEdit(edits, unrated, PERIOD, {
      level: "preliminary",
      rationale: "New",
      documentId: DOC,
      page: "12",
    });
    const payload = payloadOf(edits.values());
    expect(payload).toEqual([
      // A level set alone keeps the rationale and evidence already there: they are not sent.
      { provisionId: rated.provision.id, periodId: PERIOD, rater: "monitor", level: "full", version: 3 },
      {
        provisionId: unrated.provision.id,
        periodId: PERIOD,
        rater: "monitor",
        level: "preliminary",
        version: 0,
        rationale: "New",
        evidence: [{ documentId: DOC, page: 12 }],
      },
    ]);
  });

  it("clears a rating with a null level and nothing else; removing evidence sends an empty list", () => {
    const rated = item(1, { evidence: [{ documentId: DOC }] });
    const cleared = payloadOf(applyEdit(new Map(), rated, PERIOD, { level: null }).values());
    expect(cleared).toEqual([
      { provisionId: rated.provision.id, periodId: PERIOD, rater: "monitor", level: null, version: 3 },
    ]);
    const noEvidence = payloadOf(applyEdit(new Map(), rated, PERIOD, { documentId: "" }).values());
    expect(noEvidence[0]!.evidence).toEqual([]);
  });

  it("keeps each rater's edit of one provision apart, and sends each with its rater", () => {
    const rated = item(1, { level: "preliminary" });
    let edits = applyEdit(new Map(), rated, PERIOD, { level: "full" });
    edits = applyEdit(edits, item(1), PERIOD, { level: "secondary" }, "department");
    expect(edits.size).toBe(2);
    expect(payloadOf(edits.values()).map((e) => [e.rater, e.level, e.version])).toEqual([
      ["monitor", "full", 3],
      ["department", "secondary", 0],
    ]);
  });

  it("names rows that cannot be saved: a rationale or evidence without a level", () => {
    const edits = applyEdit(new Map(), item(1), PERIOD, { rationale: "Why" });
    expect(incompleteEdits(edits.values()).map((e: Edit) => e.provisionId)).toEqual([item(1).provision.id]);
    expect(incompleteEdits(applyEdit(edits, item(1), PERIOD, { level: "full" }).values())).toEqual([]);
  });

  it("accepts a page as a whole number from 1, or empty", () => {
    expect(["", " ", "1", "355", " 7 "].every(isValidPage)).toBe(true);
    expect(["0", "-1", "2.5", "abc", "1234567"].some(isValidPage)).toBe(false);
  });

  it("selects a range of rows either way round (shift-click)", () => {
    expect(rangeBetween(2, 5)).toEqual([2, 3, 4, 5]);
    expect(rangeBetween(5, 2)).toEqual([2, 3, 4, 5]);
    expect(rangeBetween(3, 3)).toEqual([3]);
  });
});
