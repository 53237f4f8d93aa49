import type { DecreeParse } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Accepting a new parse of a decree keeps what people recorded of its deadlines (met, waived,
 * extended, assigned): a deadline the new words still state keeps its row, so its occurrences'
 * states and calendar UIDs stay; a state that no deadline takes over is reported, never dropped
 * silently.
 */
const TODAY = "2026-03-01";

const AGREEMENT = [
  "SETTLEMENT AGREEMENT",
  "I. DEFINITIONS",
  "1. “Effective Date” means the date the Court enters this Agreement.",
  "II. POLICIES",
  "2. Within 90 days of the Effective Date, the Department will adopt a use of force policy.",
  "3. Within 180 days of the Effective Date, the Department will train every officer on the policy.",
  "4. The Department will hold public meetings with the community.",
  "5. Within 60 days of the Effective Date, the Department will publish its complaint form.",
].join("\n");

interface Occurrence {
  deadlineId: string;
  dueOn: string;
  provision: { number: number };
  status: { state: string; version: number; metOn: string | null; office: string | null };
}

describe(`re-accepting a decree keeps recorded deadline states (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let documentId: string;

  const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as "POST",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const parse = async () => {
    const res = await send("POST", `/api/v1/documents/${documentId}/parse`);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as DecreeParse;
  };
  const edit = async (p: DecreeParse, payload: unknown) => {
    const res = await send("PATCH", `/api/v1/parses/${p.id}`, payload, { "if-match": `"${p.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as DecreeParse;
  };
  const accept = async (p: DecreeParse) => {
    const read = await send("GET", `/api/v1/parses/${p.id}`);
    const res = await send(
      "POST",
      `/api/v1/matters/${matter.slug}/provisions/accept`,
      { parseId: p.id },
      { "if-match": read.headers.etag as string },
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const deadlines = async () => {
    const res = await send("GET", `/api/v1/matters/${matter.slug}/deadlines?limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Occurrence[] }).items;
  };
  const act = async (verb: string, o: Occurrence, body: object) => {
    const res = await send(
      "POST",
      `/api/v1/deadlines/${o.deadlineId}/${verb}`,
      { dueOn: o.dueOn, ...body },
      {
        "if-match": `"${o.status.version}"`,
      },
    );
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`) });
    matter = await buildMatter(t.app, { title: "Reparse City settlement", enteredOn: "2025-01-06" });
    const form = new FormData();
    form.append("kind", "agreement");
    form.append("file", new Blob([AGREEMENT]), "agreement.txt");
    const up = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    documentId = up.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("carries met, assigned and waived states to the new words, and reports those it cannot place", async () => {
    const first = await accept(await parse());
    expect(first.counts).toMatchObject({ added: 5 });
    expect(first.deadlineStates).toEqual({ carried: 0, unplaced: [] });
    const before = await deadlines();
    const of = (items: Occurrence[], n: number) => items.find((o) => o.provision.number === n)!;
    expect(before.map((o) => o.provision.number).sort()).toEqual([2, 3, 5]);
    // Evidence of the matter: the agreement itself, page 1.
    await act("met", of(before, 2), { metOn: "2025-03-30", evidence: [{ documentId, page: 1 }] });
    await act("assign", of(before, 3), { office: "Training Academy" });
    await act("waive", of(before, 5), { note: "Form already published" });

    // A corrected parse: ¶ 2's words amended (its deadline too), ¶ 3 no longer states its
    // deadline, ¶ 5 merged into ¶ 4 (¶ 5 retired).
    let draft = await parse();
    draft = await edit(draft, {
      op: "edit",
      number: 2,
      text: "Within 90 days of the Effective Date, the Department will adopt and publish a use of force policy.",
    });
    draft = await edit(draft, {
      op: "edit",
      number: 3,
      text: "The Department will train every officer on the policy.",
    });
    draft = await edit(draft, { op: "merge", number: 5 });
    const result = await accept(draft);
    expect(result.counts).toMatchObject({ changed: 3, retired: 1 });
    expect(result.deadlineStates.carried).toBe(1);
    expect(result.deadlineStates.unplaced).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          provision: expect.objectContaining({ label: "¶ 3" }),
          phrase: expect.stringContaining("180 days"),
          dueOn: of(before, 3).dueOn,
          state: "open",
          assigned: true,
          reason: "deadline_gone",
        }),
        expect.objectContaining({
          provision: expect.objectContaining({ label: "¶ 5" }),
          dueOn: of(before, 5).dueOn,
          state: "waived",
          reason: "provision_retired",
        }),
      ]),
    );
    expect(result.deadlineStates.unplaced).toHaveLength(2);

    // ¶ 2's deadline is the same row: met, on the same day, the same occurrence (and UID).
    const after = await deadlines();
    const p2 = of(after, 2);
    expect(p2.deadlineId).toBe(of(before, 2).deadlineId);
    expect(p2.dueOn).toBe(of(before, 2).dueOn);
    expect(p2.status).toMatchObject({ state: "met", metOn: "2025-03-30", version: 1 });
    const calendar = await send(
      "GET",
      `/api/v1/calendar?from=2025-04-01&to=2025-04-30&matter=${matter.slug}`,
    );
    expect(calendar.json().items).toEqual([
      expect.objectContaining({ uid: `deadline-${p2.deadlineId}-${p2.dueOn}@accord`, state: "met" }),
    ]);
    // ¶ 4 now holds ¶ 5's words, and a fresh deadline of them; ¶ 3 has none.
    expect(after.map((o) => o.provision.number).sort()).toEqual([2, 4]);
    expect(of(after, 4).status.state).toBe("open");

    // The waived record stays with the retired provision; the removed one is kept in the audit entry.
    const kept = await queryRows<{ state: string }>(
      t.database.db,
      sql`select s.state from deadline_occurrence_states s join provision_deadlines d on d.id = s.deadline_id
        join provisions p on p.id = d.provision_id where p.matter_id = ${matter.id} and p.retired_at is not null`,
    );
    expect(kept).toEqual([{ state: "waived" }]);
    const [audit] = await queryRows<{ after: { deadlineStates: { removed: { assigneeOffice: string }[] } } }>(
      t.database.db,
      sql`select after from audit_entries where action = 'PROVISIONS_ACCEPTED' and entity_id = ${draft.id}`,
    );
    expect(audit!.after.deadlineStates.removed).toEqual([
      expect.objectContaining({ assigneeOffice: "Training Academy" }),
    ]);
  });
});
