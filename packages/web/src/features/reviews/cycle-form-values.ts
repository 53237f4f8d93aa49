import type { CreateCycle, Cycle, MatterKind, MatterStatus, RatingLevel, Topic } from "@accord/domain";
import type { FormErrors, UseFormReturnType } from "@mantine/form";
import { textOrNull } from "../../lib/forms";

export interface CriterionValues {
  /** The row's identity while it is edited and moved (not sent). */
  key: string;
  code: string;
  title: string;
  guidance: string;
  topics: Topic[];
}

export interface LevelValues {
  /** The row's identity while it is edited and moved (not sent). */
  key: string;
  code: string;
  label: string;
  tone: RatingLevel["tone"];
  /** The code was typed: it no longer follows the label. */
  codeTouched: boolean;
}

export interface CycleValues {
  name: string;
  slug: string;
  mandate: string;
  mandateUrl: string;
  scope: { kinds: MatterKind[]; statuses: MatterStatus[] };
  /** The day the scope is evaluated on, YYYY-MM-DD; empty: the day the cycle starts. */
  asOf: string;
  dueOn: string;
  criteria: CriterionValues[];
  ratingScale: LevelValues[];
}

/** The cycle form, as its sections get it. */
export type CycleFormApi = UseFormReturnType<CycleValues, CycleValues, (values: CycleValues) => FormErrors>;

let rowCounter = 0;
/** A new row's identity while it is edited and moved. */
export const newKey = () => `c${++rowCounter}`;

/** A scale's levels as the form edits them; their codes no longer follow the labels. */
export const levelValues = (scale: readonly RatingLevel[]): LevelValues[] =>
  scale.map((l) => ({ key: newKey(), code: l.code, label: l.label, tone: l.tone, codeTouched: true }));

/** A level's code from its label, as RatingLevelSchema wants it: "Partly advances" → "partly_advances". */
export function levelCode(label: string): string {
  const code = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  return code;
}

/** A new cycle's values, before its default rating scale is put in. */
export const EMPTY: CycleValues = {
  name: "",
  slug: "",
  mandate: "",
  mandateUrl: "",
  scope: { kinds: [], statuses: [] },
  asOf: "",
  dueOn: "",
  criteria: [],
  ratingScale: [],
};

/** A saved cycle as the form edits it. */
export function toValues(c: Cycle): CycleValues {
  return {
    name: c.name,
    slug: c.slug,
    mandate: c.mandate ?? "",
    mandateUrl: c.mandateUrl ?? "",
    scope: { kinds: [...c.scope.kinds], statuses: [...c.scope.statuses] },
    asOf: c.asOf ?? "",
    dueOn: c.dueOn ?? "",
    criteria: c.criteria.map((k) => ({
      key: newKey(),
      code: k.code,
      title: k.title,
      guidance: k.guidance ?? "",
      topics: [...k.topics],
    })),
    ratingScale: levelValues(c.ratingScale),
  };
}

/** What the form sends: trimmed, with empty text as null. */
export function toPayload(v: CycleValues) {
  return {
    name: v.name.trim(),
    slug: v.slug.trim(),
    mandate: textOrNull(v.mandate),
    mandateUrl: textOrNull(v.mandateUrl),
    scope: { kinds: v.scope.kinds, statuses: v.scope.statuses },
    asOf: textOrNull(v.asOf),
    dueOn: textOrNull(v.dueOn),
    criteria: v.criteria.map((c) => ({
      code: c.code.trim(),
      title: c.title.trim(),
      guidance: textOrNull(c.guidance),
      topics: c.topics,
    })),
    ratingScale: v.ratingScale.map((l) => ({ code: l.code.trim(), label: l.label.trim(), tone: l.tone })),
  } satisfies CreateCycle;
}

export type CyclePayload = ReturnType<typeof toPayload>;
