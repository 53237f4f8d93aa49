/**
 * A stored address as a link's href, only when it is a web address (http or https). The server
 * refuses other schemes when a link is saved; this keeps a `javascript:` or `data:` address
 * stored before that (or by an import) from ever becoming a clickable link: the text stays.
 */
export function webHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\/[^\s<>"]+$/i.test(url) ? url : undefined;
}
