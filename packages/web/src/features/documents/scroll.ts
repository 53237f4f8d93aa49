/**
 * Scroll the viewer's desk (not the whole window) so the first marked word of `within` sits in
 * its middle; to the top when there is none.
 */
export function scrollToFirstMark(within: HTMLElement): void {
  const desk = within.closest<HTMLElement>(".accord-viewer-desk");
  if (!desk) return;
  const mark = within.querySelector("mark");
  if (!mark) {
    desk.scrollTop = 0;
    return;
  }
  const d = desk.getBoundingClientRect();
  const m = mark.getBoundingClientRect();
  desk.scrollTop += m.top - d.top - d.height / 2 + m.height / 2;
  desk.scrollLeft += Math.max(0, m.right - d.right + 24);
}
