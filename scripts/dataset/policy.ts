/** The policy timeline (policy_timeline.csv): department-wide events, a few tied to one matter. */
import type { BundleMatter, EventKind } from "@accord/domain";
import { addEvent, type Ctx } from "./context.js";
import { POLICY_ATTACH } from "./overrides.js";
import { compiledDate, mergeSources, must } from "./shared.js";
import { parseSourcesColumn } from "./sources-column.js";

const POLICY_KINDS: Record<string, EventKind> = {
  statute: "statute",
  status_snapshot: "status_snapshot",
  memo: "memo",
  memo_release: "motion",
  court_order: "order",
  investigation: "investigation_opened",
  agreement: "agreement_signed",
  executive_order: "executive_order",
  policy_action: "policy_action",
};

/**
 * Adds each policy row as a department-wide event, or, when POLICY_ATTACH names its matter, as
 * that matter's event. Returns how many rows were attached to a matter.
 */
export function addPolicyTimeline(
  ctx: Ctx,
  policy: Record<string, string>[],
  investigationOf: Map<string, BundleMatter>,
  agreementOf: Map<string, BundleMatter>,
): number {
  let policyMerged = 0;
  for (const p of policy) {
    const date = must(compiledDate(p.date, `policy ${p.event}`), "policy date");
    const type = (p.type ?? "").trim();
    const sources = parseSourcesColumn(p.source ?? "");
    const text = (p.event ?? "").trim();
    const actor = (p.actor ?? "").trim() || null;
    const attach = POLICY_ATTACH[date];
    if (attach) {
      const target = must(
        attach.on === "agreement" ? agreementOf.get(attach.id) : investigationOf.get(attach.id),
        `policy target ${attach.id}`,
      );
      const kind = attach.kind ?? must(POLICY_KINDS[type], `policy type ${type}`);
      const existing = ctx.events.find((e) => e.matter === target.slug && e.date === date && e.kind === kind);
      policyMerged++;
      // The row also gives the date of these events of the matter.
      for (const other of attach.also ?? []) {
        const e = must(
          ctx.events.find((x) => x.matter === target.slug && x.date === date && x.kind === other),
          `${other} event of ${target.slug} on ${date}`,
        );
        e.sources = mergeSources(e.sources, sources);
      }
      if (existing) {
        existing.sources = mergeSources(existing.sources, sources);
        continue;
      }
      addEvent(ctx, {
        matter: target.slug,
        kind,
        date,
        title: attach.title ?? text,
        description: text,
        actor,
        sources,
      });
      continue;
    }
    const kind = must(POLICY_KINDS[type], `policy type ${type}`);
    addEvent(ctx, { matter: null, kind, date, title: text, description: null, actor, sources });
  }
  return policyMerged;
}
