import { readFileSync } from "node:fs";
import type { DecreeParse, Provision } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp, uploadTextDocument } from "./helpers.js";

/**
 * The check screen's corrections of an outline draft, through the API: the Suffolk County
 * agreement (I, I.a, III.b.i…) uploaded as a court-records text file and parsed; its nodes split,
 * relabelled, moved, marked headings and merged by label; a label in use refused with 422, a
 * stale version with 412; the audit by labels; the corrected draft accepted and cited.
 */
const FIXTURE = "packages/domain/test/fixtures/agreements/agreement_2014-01-13.txt";
const TEXT = readFileSync(findUp(FIXTURE)!, "utf8");

describe(`label edits of a draft (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let documentId: string;
  let viewer: string;

  const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as "POST",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const patch = (p: DecreeParse, payload: unknown, headers: Record<string, string> = {}) =>
    send("PATCH", `/api/v1/parses/${p.id}`, payload, { "if-match": `"${p.version}"`, ...headers });
  const edit = async (p: DecreeParse, payload: unknown) => {
    const res = await patch(p, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as DecreeParse;
  };
  const parse = async () => {
    const res = await send("POST", `/api/v1/documents/${documentId}/parse`);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as DecreeParse;
  };
  const node = (p: DecreeParse, label: string) => p.provisions.find((x) => x.label === label);

  beforeAll(async () => {
    t = await buildTestApp({});
    viewer = await t.tokenFor("viewer", "viewer-labels");
    matter = await buildMatter(t.app, { title: "Suffolk County agreement", kind: "settlement_agreement" });
    documentId = await uploadTextDocument(t, matter.slug, TEXT, {
      kind: "agreement",
      filename: "agreement.txt",
    });
  });
  afterAll(() => t?.close());

  it("splits, relabels, moves, marks a heading and merges by label; keeps the parser's other warnings", async () => {
    let draft = await parse();
    expect(draft.exhibits).toEqual([]);
    const ocr = draft.warnings.filter((w) => w.includes("read as"));
    expect(ocr.length).toBeGreaterThan(10);

    // II.j's text split: the new node is II.j(a), after it, under II.
    const j = node(draft, "II.j")!;
    const at = j.text.indexOf(" is the date");
    draft = await edit(draft, { op: "split", label: "II.j", at, newLabel: "II.j(a)" });
    expect(node(draft, "II.j")!.text).toBe(j.text.slice(0, at));
    expect(node(draft, "II.j(a)")).toMatchObject({
      text: j.text.slice(at).trim(),
      parentLabel: "II",
      depth: 1,
    });
    // The OCR warning about II.j was about the node corrected: it is gone; the others stay.
    expect(draft.warnings.some((w) => w.includes("read as II.j "))).toBe(false);
    expect(draft.warnings.filter((w) => w.includes("read as"))).toHaveLength(ocr.length - 1);

    draft = await edit(draft, { op: "relabel", label: "II.j(a)", to: "II.j.1" });
    draft = await edit(draft, { op: "move", label: "II.j.1", parent: "II.j" });
    expect(node(draft, "II.j.1")).toMatchObject({
      parentLabel: "II.j",
      depth: 2,
      path: "II. Definitions › II.j › II.j.1",
    });
    const f = node(draft, "II.f")!;
    draft = await edit(draft, { op: "heading", label: "II.f", heading: true });
    expect(node(draft, "II.f")).toMatchObject({ heading: true, text: "", caption: f.text });
    draft = await edit(draft, { op: "heading", label: "II.f", heading: false });
    expect(node(draft, "II.f")).toMatchObject({ heading: false, text: f.text, caption: null });
    const tooLong = await patch(draft, { op: "heading", label: "III.a", heading: true });
    expect(tooLong.json()).toMatchObject({
      code: "invalid_edit",
      detail: expect.stringContaining("too long"),
    });
    draft = await edit(draft, { op: "merge", label: "II.j.1" });
    expect(node(draft, "II.j")!.text).toBe(j.text);
    draft = await edit(draft, { op: "edit", label: "III.b", caption: "Policies and Procedures" });
    expect(node(draft, "III.b.i")!.path).toBe(
      "III. Bias-free Policing › III.b. Policies and Procedures › III.b.i",
    );

    // The audit names the nodes by label.
    const audit = await send("GET", `/api/v1/audit?entity=decree_parse&entityId=${draft.id}`);
    const entries = audit.json().items as {
      action: string;
      before: unknown;
      after: Record<string, unknown>;
    }[];
    expect(entries.map((a) => a.action)).toEqual([...Array(7).fill("DECREE_PARSE_EDITED"), "DECREE_PARSED"]);
    const split = entries.at(-2)!;
    expect(split.after.edit).toMatchObject({ op: "split", label: "II.j", newLabel: "II.j(a)" });
    expect(split.after.provisions).toEqual([
      expect.objectContaining({ label: "II.j", parentLabel: "II" }),
      expect.objectContaining({ label: "II.j(a)", parentLabel: "II" }),
    ]);
    expect(entries[0]!.after.edit).toMatchObject({
      op: "edit",
      label: "III.b",
      labels: { before: ["III.b"] },
    });

    // Accepted, the corrected draft's labels are the citable addresses.
    const accepted = await send(
      "POST",
      `/api/v1/matters/${matter.slug}/provisions/accept`,
      { parseId: draft.id },
      { "if-match": `"${draft.version}"` },
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    const cited = await send(
      "GET",
      `/api/v1/matters/${matter.slug}/provisions/${encodeURIComponent("III.b.i")}`,
    );
    expect(cited.json<Provision>()).toMatchObject({ label: "III.b.i", caption: null });
  });

  it("refuses a label in use (422 naming the clash), a stale version (412), an unknown node, a viewer", async () => {
    const draft = await parse();
    const clash = await patch(draft, { op: "relabel", label: "II.k", to: "II.j" });
    expect(clash.statusCode).toBe(422);
    expect(clash.headers["content-type"]).toContain("application/problem+json");
    expect(clash.json()).toMatchObject({
      status: 422,
      code: "duplicate_label",
      errors: [
        {
          path: "to",
          message: expect.stringMatching(
            /^II\.j is already the label of another node \(page \d+: “"Effective Date"/,
          ),
        },
      ],
    });
    const split = await patch(draft, { op: "split", label: "II.k", at: 10, newLabel: "III" });
    expect(split.json()).toMatchObject({ code: "duplicate_label", errors: [{ path: "newLabel" }] });

    const moved = await edit(draft, { op: "move", label: "II.k", parent: "II.j" });
    const stale = await patch(draft, { op: "merge", label: "II.k" });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: "version_conflict" });
    expect(
      (await send("PATCH", `/api/v1/parses/${draft.id}`, { op: "merge", label: "II.k" })).statusCode,
    ).toBe(428);

    const unknown = await patch(moved, { op: "merge", label: "IX.zz" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: "invalid_edit", errors: [{ path: "label" }] });
    const nowhere = await patch(moved, { op: "move", label: "II.l", parent: "I.a" });
    expect(nowhere.json()).toMatchObject({ code: "invalid_edit", errors: [{ path: "parent" }] });
    // A number names nothing in an outline draft; a label or a number, not both.
    expect((await patch(moved, { op: "merge", number: 3 })).json()).toMatchObject({
      errors: [{ path: "number" }],
    });
    expect((await patch(moved, { op: "merge", number: 3, label: "II.k" })).statusCode).toBe(400);
    expect((await patch(moved, { op: "relabel", label: "II.k", to: "" })).statusCode).toBe(400);

    const denied = await patch(moved, { op: "merge", label: "II.k" }, { authorization: `Bearer ${viewer}` });
    expect(denied.statusCode).toBe(403);
  });
});
