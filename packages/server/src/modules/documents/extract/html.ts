import { decodeEntities } from "./text.js";

const BLOCK =
  /<\/?(p|div|br|hr|h[1-6]|li|ul|ol|tr|table|section|article|header|footer|blockquote|pre|dd|dt|title)\b[^>]*>/gi;

/**
 * The readable text of an HTML page: scripts, styles and comments dropped, block elements
 * turned into line breaks, tags removed, character references decoded. Nothing is run.
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi, " ")
      .replace(/<(script|style)\b[\s\S]*$/gi, " ")
      .replace(BLOCK, "\n")
      .replace(/<[^>]*>/g, " ")
      .replace(/<[^>]*$/, " "),
  )
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The title of an HTML page (unused for the text; kept for callers that want it). */
export function htmlTitle(html: string): string | null {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m ? decodeEntities(m[1]!).replace(/\s+/g, " ").trim() || null : null;
}
