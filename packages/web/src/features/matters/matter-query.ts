import type { Query } from "../../api/client";
import { readList, readPage } from "../../lib/url-state";

export const MATTER_LIST_KEYS = [
  "q",
  "kind",
  "status",
  "state",
  "agencyKind",
  "jurisdiction",
  "agency",
  "from",
  "to",
  "public",
  "sort",
] as const;

export const DEFAULT_MATTER_LIMIT = 50;

/** `public=true|false`: only the matters marked public, or only the others; anything else is "any". */
function readPublic(params: URLSearchParams): "true" | "false" | undefined {
  const v = params.get("public");
  return v === "true" || v === "false" ? v : undefined;
}

/** The list's filters as read from the URL, in the shape the API takes. */
export function matterFilters(params: URLSearchParams): Query {
  return {
    q: params.get("q") ?? undefined,
    kind: readList(params, "kind"),
    status: readList(params, "status"),
    state: readList(params, "state"),
    agencyKind: readList(params, "agencyKind"),
    jurisdiction: params.get("jurisdiction") ?? undefined,
    agency: params.get("agency") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    public: readPublic(params),
    sort: params.get("sort") ?? undefined,
  };
}

export function matterListQuery(params: URLSearchParams): Query {
  return {
    ...matterFilters(params),
    ...readPage(params, DEFAULT_MATTER_LIMIT),
  };
}

export function hasFilters(params: URLSearchParams): boolean {
  return MATTER_LIST_KEYS.some((k) => k !== "sort" && params.get(k));
}

/** Every filter of the list set to nothing (the sort stays): what "Clear all filters" does. */
export const CLEARED_MATTER_FILTERS = Object.fromEntries(
  MATTER_LIST_KEYS.filter((k) => k !== "sort").map((k) => [k, null]),
) as Record<Exclude<(typeof MATTER_LIST_KEYS)[number], "sort">, null>;
