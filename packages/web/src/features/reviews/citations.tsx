import {
  type Citation,
  type DocumentRecord,
  type ProvisionListItem,
  provisionCitationLabel,
  type Topic,
} from "@accord/domain";
import { Anchor } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, type Query } from "../../api/client";

/*
 * What a review cites besides the matter's events: its documents (at a page) and the provisions of
 * its decree. Each citation links to where it can be read.
 */

const V1 = "/api/v1";
const enc = encodeURIComponent;

/**
 * Where a citation can be read: a document at its page, a provision at its address, a statistic on
 * its chart (a place's statistics panel at the metric, a matter's own figures on its compliance
 * view); an event has no page of its own.
 */
export function citationHref(c: Citation, matterSlug: string): string | null {
  if (c.type === "document") return `/documents/${enc(c.id)}${c.page ? `?page=${c.page}` : ""}`;
  if (c.type === "provision" && c.number) return `/matters/${enc(matterSlug)}/provisions/${c.number}`;
  if (c.type === "statistic" && c.slug && c.metric) return statisticHref(c.placeKind, c.slug, c.metric);
  return null;
}

/** The chart a series is drawn on. */
export function statisticHref(
  kind: "jurisdiction" | "agency" | "matter" | undefined,
  slug: string,
  metric: string,
): string {
  if (kind === "matter") return `/matters/${enc(slug)}/compliance#monitoring-cost`;
  const base = kind === "agency" ? "agencies" : "jurisdictions";
  return `/${base}/${enc(slug)}?metric=${enc(metric)}#statistics-h`;
}

/** A citation of one period of a series. */
export function statisticCitation(
  s: { place: { id: string; kind: "jurisdiction" | "agency" | "matter"; slug: string; name: string } },
  metric: string,
  label: string,
  period: string,
): Citation {
  return {
    type: "statistic",
    id: s.place.id,
    metric,
    period,
    placeKind: s.place.kind,
    slug: s.place.slug,
    label: `${label}, ${s.place.name}, ${period}`,
  };
}

/** A citation of a document, at a page or as a whole. */
export function documentCitation(d: Pick<DocumentRecord, "id" | "title">, page?: number | null): Citation {
  return { type: "document", id: d.id, label: d.title, ...(page ? { page } : {}) };
}

/** A citation of a provision: by its number (its address) and first words. */
export function provisionCitation(p: Pick<ProvisionListItem, "id" | "number" | "label" | "text">): Citation {
  return {
    type: "provision",
    id: p.id,
    ...(p.number === null ? {} : { number: p.number }),
    label: provisionCitationLabel(p),
  };
}

/** The same thing cited: same kind, same record, same page (for a statistic: metric and period). */
export const sameCitation = (a: Citation, b: Citation) =>
  a.type === b.type &&
  a.id === b.id &&
  (a.page ?? null) === (b.page ?? null) &&
  (a.metric ?? null) === (b.metric ?? null) &&
  (a.period ?? null) === (b.period ?? null);

export interface ProvisionPage {
  items: ProvisionListItem[];
  total: number;
}

/**
 * A matter's current provisions to cite: those with any of `topic`, or whose words (or number)
 * match `q`. Its query key starts with "provisions", so accepting a parse or correcting topics
 * elsewhere refreshes it.
 */
export function useProvisionsToCite(
  slug: string,
  filter: { q?: string; topic?: readonly Topic[]; limit?: number },
  enabled = true,
) {
  const query: Query = { q: filter.q?.trim() || undefined, topic: filter.topic, limit: filter.limit ?? 30 };
  return useQuery({
    queryKey: ["provisions", "matter", slug, "for-review", query],
    queryFn: ({ signal }) => api.get<ProvisionPage>(`${V1}/matters/${enc(slug)}/provisions`, query, signal),
    enabled: enabled && Boolean(slug),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** A citation's text, as a link when it has a place to be read. */
export function CitationLink({
  citation,
  text,
  matterSlug,
}: {
  citation: Citation;
  text: string;
  matterSlug: string;
}) {
  const href = citationHref(citation, matterSlug);
  if (!href) return <>{text}</>;
  return (
    <Anchor component={Link} to={href} inherit>
      {text}
    </Anchor>
  );
}
