import { unzipSync } from "fflate";
import { decodeEntities } from "./text.js";

/** A Word document's body larger than this once unzipped is refused (a "zip bomb"). */
const MAX_XML_BYTES = 100 * 1024 * 1024;

export class DocxError extends Error {}

/**
 * The pages of a Word document (DOCX), split at explicit page breaks: the text of
 * word/document.xml, a line per paragraph, tabs kept.
 */
export function docxPages(bytes: Uint8Array): string[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name !== "word/document.xml") return false;
        if (f.originalSize > MAX_XML_BYTES)
          throw new DocxError("The Word document is too large once unpacked (over 100 MB of text)");
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DocxError) throw e;
    throw new DocxError(`The Word document is damaged: ${(e as Error).message}`);
  }
  const xml = files["word/document.xml"];
  if (!xml) throw new DocxError("The Word document is damaged: it has no word/document.xml");
  const source = new TextDecoder("utf-8").decode(xml);
  const body = /<w:body\b[^>]*>([\s\S]*)<\/w:body>/.exec(source)?.[1] ?? source;
  const PAGE = "\f";
  const text = body
    .replace(/<w:br\b[^>]*w:type="page"[^>]*\/>/g, PAGE)
    .replace(/<w:pageBreakBefore\b(?![^>]*w:val="(?:0|false)")[^>]*\/>/g, PAGE)
    .replace(/<w:tab\/>/g, "\t")
    .replace(/<w:br\b[^>]*\/>/g, "\n")
    .replace(/<\/w:p>/g, "\n")
    // Text runs only: deleted text and field codes are not part of what a reader sees.
    .replace(/<w:delText\b[\s\S]*?<\/w:delText>/g, "")
    .replace(/<w:instrText\b[\s\S]*?<\/w:instrText>/g, "")
    .replace(/<[^>]+>/g, "");
  return decodeEntities(text)
    .split(PAGE)
    .map((p) => p.replace(/\n{3,}/g, "\n\n").trim());
}
