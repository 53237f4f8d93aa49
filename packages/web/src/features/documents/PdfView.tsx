import { Alert, Center, Loader, Stack, Text } from "@mantine/core";
import { type CSSProperties, useEffect, useRef, useState } from "react";
import { IconAlert } from "../../components/icons";
import { markDomText } from "../search/highlight";
import {
  isCancelled,
  openPdf,
  type PDFDocumentProxy,
  type PDFPageProxy,
  pageSize,
  pdfProblem,
  renderCanvas,
  renderTextLayer,
} from "./pdf";
import { scrollToFirstMark } from "./scroll";

/** The zoom: a fixed scale, or as wide as the desk allows. */
export type Zoom = number | "fit";

/**
 * One page of a PDF, drawn by pdf.js in the browser: the canvas, and over it the page's text,
 * with the words of the query marked. Reports the page count once the file is open and how
 * many words it marked on each page.
 */
export function PdfView({
  url,
  page,
  zoom,
  deskWidth,
  patterns,
  onOpened,
  onMarked,
  onScale,
}: {
  url: string;
  page: number;
  zoom: Zoom;
  /** The width the page may take, for "fit". */
  deskWidth: number;
  /** What to mark, the most exact first (see highlightPatterns). */
  patterns: readonly RegExp[];
  onOpened: (pageCount: number) => void;
  onMarked: (count: number) => void;
  /** The scale the page is drawn at (what "fit" came to). */
  onScale: (scale: number) => void;
}) {
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [pageProxy, setPageProxy] = useState<PDFPageProxy | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [drawing, setDrawing] = useState(true);
  const canvasHolder = useRef<HTMLDivElement>(null);
  const textLayer = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onOpened, onMarked, onScale });
  callbacks.current = { onOpened, onMarked, onScale };

  // Open the file once; destroying the task ends its worker's work.
  useEffect(() => {
    const task = openPdf(url);
    let live = true;
    setProblem(null);
    task.promise.then(
      (doc) => {
        if (!live) return;
        setPdf(doc);
        callbacks.current.onOpened(doc.numPages);
      },
      (error) => {
        if (live) setProblem(pdfProblem(error));
      },
    );
    return () => {
      live = false;
      setPdf(null);
      void task.destroy();
    };
  }, [url]);

  // The page asked for.
  useEffect(() => {
    if (!pdf) return;
    let live = true;
    const n = Math.min(Math.max(1, page), pdf.numPages);
    pdf.getPage(n).then(
      (p) => live && setPageProxy(p),
      (error) => live && setProblem(pdfProblem(error)),
    );
    return () => {
      live = false;
    };
  }, [pdf, page]);

  const natural = pageProxy ? pageSize(pageProxy) : null;
  const scale = zoom === "fit" ? (natural ? Math.min(2, Math.max(0.5, deskWidth / natural.width)) : 1) : zoom;
  const rounded = Math.round(scale * 1000) / 1000;

  useEffect(() => {
    callbacks.current.onScale(rounded);
  }, [rounded]);

  // The canvas: drawn anew when the page or the scale changes.
  useEffect(() => {
    if (!pageProxy) return;
    setDrawing(true);
    const render = renderCanvas(pageProxy, rounded);
    render.promise.then(
      (canvas) => {
        canvas.setAttribute("aria-hidden", "true");
        canvasHolder.current?.replaceChildren(canvas);
        setDrawing(false);
      },
      (error) => {
        if (!isCancelled(error)) setProblem(pdfProblem(error));
      },
    );
    return () => render.cancel();
  }, [pageProxy, rounded]);

  // The text over it, with the query's words marked; the first match is scrolled into view.
  useEffect(() => {
    const container = textLayer.current;
    if (!pageProxy || !container) return;
    let live = true;
    const layer = renderTextLayer(pageProxy, rounded, container);
    layer.promise.then(
      () => {
        if (!live) return;
        const count = markDomText(container, patterns);
        callbacks.current.onMarked(count);
        scrollToFirstMark(container);
      },
      () => {},
    );
    return () => {
      live = false;
      layer.cancel();
    };
  }, [pageProxy, rounded, patterns]);

  if (problem) {
    return (
      <Alert color="red" variant="light" icon={<IconAlert />} title="This PDF cannot be shown" role="alert">
        <Text size="sm">{problem}</Text>
        <Text size="sm" mt={4}>
          Download the file to open it in another program.
        </Text>
      </Alert>
    );
  }
  if (!natural) {
    return (
      <Center h={400}>
        <Stack align="center" gap="xs">
          <Loader aria-label="Opening the PDF" />
          <Text size="sm" c="dimmed">
            Opening the PDF…
          </Text>
        </Stack>
      </Center>
    );
  }
  return (
    <div
      className="accord-pdf-page"
      style={
        {
          width: Math.floor(natural.width * rounded),
          height: Math.floor(natural.height * rounded),
          "--total-scale-factor": rounded,
        } as CSSProperties
      }
      data-page={pageProxy?.pageNumber}
      aria-busy={drawing}
    >
      <div ref={canvasHolder} />
      <div ref={textLayer} className="textLayer" />
    </div>
  );
}
