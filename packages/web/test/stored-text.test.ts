import { MantineProvider } from "@mantine/core";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SourcesList } from "../src/components/Sources.js";
import { webHref } from "../src/lib/links.js";

/**
 * I4 in the web app. There is no browser (DOM) harness in packages/web/test: these render the
 * components to markup on the server (react-dom/server), which is the same escaping React applies
 * in the browser, and check what would become a link.
 */

const SCRIPT = `<script>window.__x=1</script><img src=x onerror=window.__x=1>`;

const render = (node: ReturnType<typeof createElement>) =>
  renderToStaticMarkup(createElement(MantineProvider, null, node));

describe("I4: stored text and links in the web app", () => {
  it("I4: only http(s) addresses become links", () => {
    expect(webHref("https://example.org/a?b=1")).toBe("https://example.org/a?b=1");
    expect(webHref("http://example.org")).toBe("http://example.org");
    for (const bad of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      " javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "//evil.example",
      'https://x.org/"onmouseover="alert(1)',
      "",
      null,
      undefined,
    ])
      expect(webHref(bad), String(bad)).toBeUndefined();
  });

  it("I4: a source with markup in its citation and a javascript: or data: link renders as text, no link", () => {
    const html = render(
      createElement(SourcesList, {
        sources: [
          { citation: SCRIPT, url: "javascript:alert(1)" },
          { citation: "Data link", url: "data:text/html,<script>alert(1)</script>" },
          { citation: "Court record", url: "https://example.org/order.pdf" },
        ],
      }),
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;window.__x=1&lt;/script&gt;");
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain('href="https://example.org/order.pdf"');
    expect(html.match(/<a /g)).toHaveLength(1);
  });
});
