import "./documents.css";
import "../search/search.css";
import { DOCUMENT_KIND_LABELS, type DocumentRecord } from "@accord/domain";
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Tooltip,
} from "@mantine/core";
import { useElementSize } from "@mantine/hooks";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { documentFileUrl, useDocument, useDocumentPage } from "../../api/documents";
import { BackLink } from "../../components/BackLink";
import { DebouncedSearch } from "../../components/DebouncedSearch";
import { IconAlert, IconDownload, IconExternal } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { webHref } from "../../lib/links";
import { readInt } from "../../lib/url-state";
import { ReadRatingsButton } from "../compliance/ReadRatingsButton";
import { ParseDocumentButton } from "../provisions/ParseActions";
import { firstMatching, HighlightedText, highlightPatterns, splitMatches } from "../search/highlight";
import { DocumentHits } from "./DocumentHits";
import { IconChevronLeft, IconChevronRight, IconZoomIn, IconZoomOut } from "./doc-icons";
import { DuplicateBadges, documentDate, ExtractionState, formatSize } from "./document-status";
import { PdfView, type Zoom } from "./PdfView";
import { scrollToFirstMark } from "./scroll";

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

/**
 * `/documents/:id?page=N&q=terms`: a document, one page at a time, with the terms marked and,
 * beside it, the pages that hold them (search in this document).
 */
export function DocumentViewerPage() {
  const { id = "" } = useParams();
  const query = useDocument(id);
  // The viewer is keyed by the document: another one (a duplicate's link) starts afresh.
  return (
    <LoadedRecord
      query={query}
      what="document"
      skeleton={
        <Stack>
          <Skeleton height={20} width={160} />
          <Skeleton height={34} width="60%" />
          <Skeleton height={60} />
          <Skeleton height={500} />
        </Stack>
      }
    >
      {(d) => <Viewer key={d.id} d={d} />}
    </LoadedRecord>
  );
}

/** Whether a key press belongs to a control that uses the arrows itself. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) ||
    el.getAttribute("role") === "slider" ||
    el.getAttribute("role") === "radio"
  );
}

function Viewer({ d }: { d: DocumentRecord }) {
  const [params, setParams] = useSearchParams();
  const isPdf = d.mime === "application/pdf";
  const [pdfPages, setPdfPages] = useState<number | null>(null);
  const pageCount = (isPdf ? pdfPages : null) ?? d.pageCount ?? null;
  const requested = readInt(params, "page", 1);
  const page = Math.max(1, pageCount ? Math.min(requested, pageCount) : requested);
  const q = params.get("q") ?? "";
  const patterns = useMemo(() => highlightPatterns(q), [q]);
  const [mode, setMode] = useState<"page" | "text">(isPdf ? "page" : "text");
  const [zoom, setZoom] = useState<Zoom>("fit");
  const [scale, setScale] = useState(1);
  const [marked, setMarked] = useState<number | null>(null);
  const { ref: deskRef, width: deskWidth } = useElementSize<HTMLElement>();

  const setParam = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    // Turning pages replaces the history entry: Back leaves the document, not the last page.
    setParams(next, { replace: true });
  };
  const goTo = (n: number) => {
    const target = Math.max(1, pageCount ? Math.min(n, pageCount) : n);
    if (target !== page) setParam({ page: String(target) });
  };

  // ← and → turn the pages, unless a control that uses the arrows has the keyboard.
  const turn = useRef(goTo);
  turn.current = goTo;
  const pageRef = useRef(page);
  pageRef.current = page;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      if (e.key === "ArrowRight" || e.key === "PageDown") turn.current(pageRef.current + 1);
      else if (e.key === "ArrowLeft" || e.key === "PageUp") turn.current(pageRef.current - 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const zoomBy = (direction: 1 | -1) => {
    const current = zoom === "fit" ? scale : zoom;
    const next =
      direction > 0
        ? ZOOMS.find((z) => z > current + 0.01)
        : [...ZOOMS].reverse().find((z) => z < current - 0.01);
    if (next) setZoom(next);
  };

  const matter = d.matter;
  const showPdf = isPdf && mode === "page";
  return (
    <>
      {matter ? (
        <BackLink to={`/matters/${matter.slug}/documents`}>{matter.title}</BackLink>
      ) : (
        <BackLink to="/documents?departmentWide=true">Department-wide documents</BackLink>
      )}
      <PageTitle
        title={d.title}
        actions={
          <>
            <ParseDocumentButton document={d} />
            <ReadRatingsButton document={d} />
            {webHref(d.sourceUrl) ? (
              <Button
                component="a"
                href={webHref(d.sourceUrl)}
                target="_blank"
                rel="noopener noreferrer"
                variant="default"
                leftSection={<IconExternal size={16} />}
              >
                Source
              </Button>
            ) : null}
            <Button
              component="a"
              href={documentFileUrl(d.id, true)}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              Download
            </Button>
          </>
        }
      />
      <Card withBorder padding="sm" mb="sm">
        <Group gap="lg" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Group gap={6}>
              <Badge variant="outline" color="gray" radius="sm" tt="none">
                {DOCUMENT_KIND_LABELS[d.kind]}
              </Badge>
              <Text size="sm">{documentDate(d.date)}</Text>
            </Group>
            <Text size="xs" c="dimmed">
              {d.filename} · {formatSize(d.size)}
              {matter ? (
                <>
                  {" · "}
                  <Anchor component={Link} to={`/matters/${matter.slug}`} size="xs">
                    {matter.title}
                  </Anchor>
                </>
              ) : (
                " · Department-wide record"
              )}
            </Text>
            <DuplicateBadges d={d} />
          </Stack>
          <Box style={{ flexShrink: 0 }}>
            <ExtractionState d={d} />
          </Box>
        </Group>
      </Card>

      <Group justify="space-between" gap="sm" mb="xs" wrap="wrap" role="toolbar" aria-label="Document viewer">
        <Group gap={6} wrap="nowrap">
          <Tooltip label="Previous page (←)">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label="Previous page"
              disabled={page <= 1}
              onClick={() => goTo(page - 1)}
            >
              <IconChevronLeft />
            </ActionIcon>
          </Tooltip>
          <PageInput page={page} pageCount={pageCount} onGo={goTo} />
          <Tooltip label="Next page (→)">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label="Next page"
              disabled={pageCount !== null && page >= pageCount}
              onClick={() => goTo(page + 1)}
            >
              <IconChevronRight />
            </ActionIcon>
          </Tooltip>
        </Group>
        {isPdf ? (
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(v) => setMode(v as "page" | "text")}
            data={[
              { value: "page", label: "Page" },
              { value: "text", label: "Text only" },
            ]}
            aria-label="Show"
          />
        ) : null}
        {showPdf ? (
          <Group gap={4} wrap="nowrap">
            <ActionIcon variant="default" size="lg" aria-label="Zoom out" onClick={() => zoomBy(-1)}>
              <IconZoomOut />
            </ActionIcon>
            <Text size="sm" w={48} ta="center" aria-live="polite" aria-label="Zoom">
              {Math.round(scale * 100)}%
            </Text>
            <ActionIcon variant="default" size="lg" aria-label="Zoom in" onClick={() => zoomBy(1)}>
              <IconZoomIn />
            </ActionIcon>
            <Button
              variant={zoom === "fit" ? "light" : "default"}
              size="xs"
              onClick={() => setZoom("fit")}
              aria-pressed={zoom === "fit"}
            >
              Fit width
            </Button>
          </Group>
        ) : null}
        <Group gap="xs" wrap="nowrap">
          <DebouncedSearch
            value={q}
            onCommit={(v) => setParam({ q: v || null })}
            aria-label="Search in this document"
            placeholder="Search in this document…"
            size="xs"
            w={240}
          />
          {patterns.length > 0 && marked !== null ? (
            <Text size="xs" c="dimmed" aria-live="polite" style={{ whiteSpace: "nowrap" }}>
              {marked === 0 ? "Not on this page" : `${marked} on this page`}
            </Text>
          ) : null}
        </Group>
      </Group>

      <div className={q ? "accord-viewer-with-hits" : undefined}>
        <section ref={deskRef} className="accord-viewer-desk" aria-label={`Page ${page}`}>
          {showPdf ? (
            <PdfView
              url={documentFileUrl(d.id)}
              page={page}
              zoom={zoom}
              deskWidth={Math.max(320, deskWidth - 40)}
              patterns={patterns}
              onOpened={setPdfPages}
              onMarked={setMarked}
              onScale={setScale}
            />
          ) : (
            <TextPage d={d} page={page} patterns={patterns} onMarked={setMarked} />
          )}
        </section>
        {q ? <DocumentHits documentId={d.id} q={q} page={page} onGo={goTo} /> : null}
      </div>
    </>
  );
}

/** "Page [ 2 ] of 71": type a number and press Enter to go there. */
function PageInput({
  page,
  pageCount,
  onGo,
}: {
  page: number;
  pageCount: number | null;
  onGo: (n: number) => void;
}) {
  const [value, setValue] = useState<string | number>(page);
  useEffect(() => setValue(page), [page]);
  const go = () => {
    const n = typeof value === "number" ? value : Number.parseInt(value, 10);
    if (Number.isFinite(n)) onGo(n);
    else setValue(page);
  };
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">Page</Text>
      <NumberInput
        aria-label="Page number"
        value={value}
        onChange={setValue}
        onBlur={go}
        onKeyDown={(e) => {
          if (e.key === "Enter") go();
        }}
        min={1}
        max={pageCount ?? undefined}
        allowDecimal={false}
        allowNegative={false}
        hideControls
        w={64}
        size="sm"
      />
      <Text size="sm" style={{ whiteSpace: "nowrap" }}>
        of {pageCount ?? "…"}
      </Text>
    </Group>
  );
}

/** A page's text as extracted (HTML, text and Word documents, or a PDF's "Text only"). */
function TextPage({
  d,
  page,
  patterns,
  onMarked,
}: {
  d: DocumentRecord;
  page: number;
  patterns: readonly RegExp[];
  onMarked: (count: number) => void;
}) {
  const ready = d.status === "ready" || (d.pageCount !== null && d.pagesDone >= page);
  const result = useDocumentPage(d.id, page, ready);
  const box = useRef<HTMLDivElement>(null);
  const text = result.data?.page === page ? result.data.text : null;
  const pattern = useMemo(() => (text === null ? null : firstMatching(text, patterns)), [text, patterns]);
  useLayoutEffect(() => {
    if (text === null || !box.current) return;
    onMarked(splitMatches(text, pattern).filter((p) => p.hit).length);
    scrollToFirstMark(box.current);
  }, [text, pattern, onMarked]);

  if (d.status === "failed" && !result.data) {
    return (
      <Alert color="red" variant="light" icon={<IconAlert />} title="The text could not be read" role="alert">
        <Text size="sm">{d.failure ?? "Extraction failed."}</Text>
      </Alert>
    );
  }
  if (!ready) {
    return (
      <Stack align="center" gap="xs" py="xl">
        <Text size="sm">The text of this document is being read…</Text>
        <ExtractionState d={d} />
      </Stack>
    );
  }
  if (result.error) return <ProblemAlert error={result.error} onRetry={() => result.refetch()} />;
  if (text === null) return <Skeleton height={500} maw={860} mx="auto" />;
  return (
    <div ref={box} className="accord-text-page" data-page={page}>
      {text.trim() === "" ? (
        <Text size="sm" c="dimmed" ff="inherit">
          {d.scannedPages.includes(page)
            ? "This page is a scanned image: it has no text."
            : "This page has no text."}
        </Text>
      ) : (
        <HighlightedText text={text} pattern={pattern} />
      )}
    </div>
  );
}
