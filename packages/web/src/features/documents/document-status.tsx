import {
  DOCUMENT_KIND_LABELS,
  type DocumentKind,
  type DocumentRecord,
  type DocumentStatus,
  formatPartialDate,
} from "@accord/domain";
import { Anchor, Badge, Group, Progress, Stack, Text, Tooltip } from "@mantine/core";
import { Link } from "react-router";
import { webHref } from "../../lib/links";
import { IconCopyFile } from "./doc-icons";

export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = {
  queued: "Queued",
  extracting: "Reading text",
  ready: "Ready",
  failed: "Failed",
};

const STATUS_COLORS: Record<DocumentStatus, string> = {
  queued: "gray",
  extracting: "blue",
  ready: "teal",
  failed: "red",
};

export const DOCUMENT_KIND_OPTIONS = (Object.keys(DOCUMENT_KIND_LABELS) as DocumentKind[]).map((k) => ({
  value: k,
  label: DOCUMENT_KIND_LABELS[k],
}));

export const DOCUMENT_STATUS_OPTIONS = (Object.keys(DOCUMENT_STATUS_LABELS) as DocumentStatus[]).map((s) => ({
  value: s,
  label: DOCUMENT_STATUS_LABELS[s],
}));

export function DocumentStatusBadge({ status }: { status: DocumentStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" radius="sm" tt="none" size="sm">
      {DOCUMENT_STATUS_LABELS[status]}
    </Badge>
  );
}

/** 1.2 MB, 840 KB, 12 bytes. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "2025-01-06" → "6 January 2025"; no date: "Undated". */
export function documentDate(date: string | null): string {
  return date ? formatPartialDate(date) : "Undated";
}

/** "3, 7 and 12" */
function listPages(pages: readonly number[]): string {
  if (pages.length <= 1) return pages.join("");
  return `${pages.slice(0, -1).join(", ")} and ${pages.at(-1)}`;
}

/**
 * Where the document's text stands: a bar while pages are read (pages done of the count), the
 * reason in words when it failed, and the pages that are scanned images.
 */
export function ExtractionState({ d }: { d: DocumentRecord }) {
  const label = `Text of ${d.title}`;
  return (
    <Stack gap={4} miw={160}>
      <Group gap={6} wrap="nowrap">
        <DocumentStatusBadge status={d.status} />
        {d.status === "extracting" && d.pageCount ? (
          <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            {d.pagesDone} of {d.pageCount} pages
          </Text>
        ) : null}
        {d.status === "ready" && d.pageCount ? (
          <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            {d.pageCount} {d.pageCount === 1 ? "page" : "pages"}
          </Text>
        ) : null}
      </Group>
      {d.status === "extracting" || d.status === "queued" ? (
        <Progress
          size="sm"
          value={d.pageCount ? (100 * d.pagesDone) / d.pageCount : 0}
          animated
          striped={d.status === "queued" || !d.pageCount}
          aria-label={label}
          aria-valuetext={
            d.pageCount ? `${d.pagesDone} of ${d.pageCount} pages read` : DOCUMENT_STATUS_LABELS[d.status]
          }
        />
      ) : null}
      {d.status === "failed" && d.failure ? (
        <Text size="xs" c="red.8" lh={1.35}>
          {d.failure}
        </Text>
      ) : null}
      {d.scannedPages.length > 0 && d.status !== "failed" ? (
        <Text size="xs" c="orange.8" lh={1.35}>
          Scanned {d.scannedPages.length === 1 ? "page" : "pages"} (no text): {listPages(d.scannedPages)}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Links to the other documents with the same file, and to the one it closely resembles. */
export function DuplicateBadges({ d }: { d: DocumentRecord }) {
  if (d.sameFile.length === 0 && !d.nearDuplicateOf) return null;
  const near = d.nearDuplicateOf;
  return (
    <Group gap={6} mt={4} wrap="wrap">
      {d.sameFile.map((other) => (
        <Tooltip key={other.id} label="The same file (identical bytes) is attached there too" withArrow>
          <Badge
            component={Link}
            to={`/documents/${other.id}`}
            variant="outline"
            color="grape"
            radius="sm"
            tt="none"
            size="sm"
            leftSection={<IconCopyFile size={12} />}
            style={{ cursor: "pointer", maxWidth: 360 }}
          >
            Same file as: {other.title}
          </Badge>
        </Tooltip>
      ))}
      {near ? (
        <Tooltip
          label="Most of its text matches that document (a re-filed or reworded copy)"
          withArrow
          multiline
          w={260}
        >
          <Badge
            component={Link}
            to={`/documents/${near.id}`}
            variant="light"
            color="orange"
            radius="sm"
            tt="none"
            size="sm"
            style={{ cursor: "pointer", maxWidth: 420 }}
          >
            Near-duplicate ({Math.round(near.similarity * 100)}% alike) of: {near.title}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}

/** The document's kind, date and, for a department-wide one, that it belongs to no matter. */
export function DocumentMeta({ d }: { d: DocumentRecord }) {
  return (
    <Text size="xs" c="dimmed">
      {DOCUMENT_KIND_LABELS[d.kind]} · {documentDate(d.date)} · {d.filename} · {formatSize(d.size)}
      {webHref(d.sourceUrl) ? (
        <>
          {" · "}
          <Anchor href={webHref(d.sourceUrl)} target="_blank" rel="noopener noreferrer" size="xs">
            Source
          </Anchor>
        </>
      ) : null}
    </Text>
  );
}
