import {
  type CreateMatter,
  LIFECYCLES,
  type Matter,
  type MatterKind,
  type MatterStatus,
  nextStatuses,
  statusesFor,
} from "@accord/domain";
import { type SourceValues, sourcesToPayload, sourcesToValues, textOrNull } from "../../lib/forms";

export interface MatterFormValues {
  title: string;
  slug: string;
  kind: string;
  status: string;
  jurisdictionId: string;
  agencyIds: string[];
  authority: string;
  court: string;
  caseNumber: string;
  judge: string;
  monitor: string;
  openedOn: string;
  findingsOn: string;
  agreementOn: string;
  enteredOn: string;
  endedOn: string;
  statusNote: string;
  summary: string;
  sources: SourceValues[];
  /** Anonymous visitors may read it when the server allows public reading. */
  public: boolean;
}

/** Field paths in the order the form shows them, for focusing the first error. */
export const MATTER_FIELD_ORDER = [
  "title",
  "slug",
  "kind",
  "status",
  "jurisdictionId",
  "agencyIds",
  "public",
  "authority",
  "court",
  "caseNumber",
  "judge",
  "monitor",
  "openedOn",
  "findingsOn",
  "agreementOn",
  "enteredOn",
  "endedOn",
  "statusNote",
  "summary",
  "sources",
] as const;

export const MATTER_FIELD_LABELS: Record<string, string> = {
  title: "Title",
  slug: "Slug",
  kind: "Kind",
  status: "Status",
  jurisdictionId: "Jurisdiction",
  agencyIds: "Agencies",
  authority: "Authority",
  court: "Court",
  caseNumber: "Case number",
  judge: "Judge",
  monitor: "Monitor",
  openedOn: "Opened",
  findingsOn: "Findings",
  agreementOn: "Agreement",
  enteredOn: "Entered",
  endedOn: "Ended",
  statusNote: "Status note",
  summary: "Summary",
  sources: "Sources",
  public: "Public",
};

export const EMPTY_MATTER_VALUES: MatterFormValues = {
  title: "",
  slug: "",
  kind: "",
  status: "",
  jurisdictionId: "",
  agencyIds: [],
  authority: "",
  court: "",
  caseNumber: "",
  judge: "",
  monitor: "",
  openedOn: "",
  findingsOn: "",
  agreementOn: "",
  enteredOn: "",
  endedOn: "",
  statusNote: "",
  summary: "",
  sources: [],
  public: false,
};

export function matterToValues(m: Matter): MatterFormValues {
  return {
    title: m.title,
    slug: m.slug,
    kind: m.kind,
    status: m.status,
    jurisdictionId: m.jurisdiction.id,
    agencyIds: m.agencies.map((a) => a.id),
    authority: m.authority ?? "",
    court: m.court ?? "",
    caseNumber: m.caseNumber ?? "",
    judge: m.judge ?? "",
    monitor: m.monitor ?? "",
    openedOn: m.openedOn ?? "",
    findingsOn: m.findingsOn ?? "",
    agreementOn: m.agreementOn ?? "",
    enteredOn: m.enteredOn ?? "",
    endedOn: m.endedOn ?? "",
    statusNote: m.statusNote ?? "",
    summary: m.summary ?? "",
    sources: sourcesToValues(m.sources),
    public: m.public,
  };
}

/** The request body: trimmed text, empty fields as null so that clearing a field clears it. */
export function valuesToMatter(v: MatterFormValues): CreateMatter {
  return {
    title: v.title.trim(),
    slug: v.slug.trim(),
    kind: v.kind as MatterKind,
    status: v.status as MatterStatus,
    jurisdictionId: v.jurisdictionId,
    agencyIds: v.agencyIds,
    authority: textOrNull(v.authority),
    court: textOrNull(v.court),
    caseNumber: textOrNull(v.caseNumber),
    judge: textOrNull(v.judge),
    monitor: textOrNull(v.monitor),
    openedOn: textOrNull(v.openedOn),
    findingsOn: textOrNull(v.findingsOn),
    agreementOn: textOrNull(v.agreementOn),
    enteredOn: textOrNull(v.enteredOn),
    endedOn: textOrNull(v.endedOn),
    statusNote: textOrNull(v.statusNote),
    summary: textOrNull(v.summary),
    sources: sourcesToPayload(v.sources),
    public: v.public,
  };
}

/**
 * The statuses the form offers. A new matter may start in any status of its kind's lifecycle
 * (records often begin mid-way); an existing one may stay or move one step.
 */
export function statusOptions(kind: string, saved: Matter | null): MatterStatus[] {
  if (!kind) return [];
  const k = kind as MatterKind;
  if (saved && saved.kind === k) return [saved.status, ...nextStatuses(k, saved.status)];
  return statusesFor(k);
}

export function initialStatus(kind: string): string {
  return kind ? LIFECYCLES[kind as MatterKind].initial : "";
}
