import { ScrollArea, type ScrollAreaProps } from "@mantine/core";
import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * A box whose content may be wider or taller than it (a wide table at tablet width, a long one
 * in a fixed height). When it does overflow it is a named region in the tab order, so people on a
 * keyboard can scroll it with the arrow keys (WCAG 2.1.1; axe-core's scrollable-region-focusable);
 * when everything fits it adds no tab stop.
 */
export function ScrollRegion({
  label,
  children,
  ...props
}: { label: string | undefined; children: ReactNode } & Omit<ScrollAreaProps, "viewportRef">) {
  const viewport = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () =>
      setOverflows(el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <ScrollArea
      type="auto"
      {...props}
      viewportRef={viewport}
      viewportProps={
        overflows ? { tabIndex: 0, ...(label ? { role: "region", "aria-label": label } : {}) } : undefined
      }
    >
      {children}
    </ScrollArea>
  );
}
