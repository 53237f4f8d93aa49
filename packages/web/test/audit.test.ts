import type { AuditEntry } from "@accord/domain";
import { describe, expect, it } from "vitest";
import { formatValue, recordOf, signedInAs } from "../src/lib/audit.js";

/** Issue 17, item 8: the audit log names records, not ids. */

const MATTER = "ea26292e-0000-4000-8000-000000000001";
const AGENCY = "568699ce-0000-4000-8000-000000000002";

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  at: "2026-12-06T18:41:00.000Z",
  actor: "rachel",
  actorRole: "reviewer",
  address: null,
  action: "REVIEW_DRAFTED",
  entity: "review",
  entityId: MATTER,
  before: { version: 2 },
  after: { version: 3 },
  requestId: null,
  ...over,
});

describe("the record an entry is about", () => {
  it("is named as the server names it", () => {
    expect(recordOf(entry({ recordName: "Seattle consent decree — 2017 review" })).name).toBe(
      "Seattle consent decree — 2017 review",
    );
  });

  it("falls back to a name in the snapshots, then to its kind, never a bare id", () => {
    expect(recordOf(entry({ entity: "matter", after: { title: "Seattle" } })).name).toBe("Seattle");
    const gone = recordOf(entry({ entity: "matter", action: "MATTER_DELETED", before: {}, after: null }));
    expect(gone.name).toBe("Matter (deleted)");
    expect(gone.name).not.toContain("ea26292e");
  });
});

describe("ids inside a change", () => {
  const names = { [MATTER]: "Seattle consent decree", [AGENCY]: "Seattle Police Department" };

  it("read as the names of their records, in lists too", () => {
    expect(formatValue(MATTER, "matterId", "event", names)).toBe("Seattle consent decree");
    expect(formatValue([AGENCY, MATTER], "agencyIds", "matter", names)).toBe(
      "Seattle Police Department; Seattle consent decree",
    );
  });

  it("stay as they are when the server gave no name", () => {
    expect(formatValue(AGENCY, "agencyId", "matter")).toBe(AGENCY);
  });
});

describe("who is signed in, on Settings", () => {
  it("says the display name only where it adds something", () => {
    expect(signedInAs({ username: "admin", displayName: "Administrator", role: "admin" })).toBe(
      "Signed in as admin · Administrator",
    );
    expect(signedInAs({ username: "alma", displayName: "Alma Approver", role: "approver" })).toBe(
      "Signed in as alma (Alma Approver) · Approving official",
    );
    expect(signedInAs({ username: "rita", displayName: null, role: "reviewer" })).toBe(
      "Signed in as rita · Reviewer",
    );
  });
});
