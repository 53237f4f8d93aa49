import type { Source } from "@accord/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventOwnSources } from "../src/lib/event-sources";

const matter: Source[] = [
  { citation: "City of Baltimore, consent decree site", url: "https://example.org/decree" },
  { citation: "DOJ list of investigations", note: "Closed without Agreement" },
];

describe("an event's own sources", () => {
  it("leaves out the matter's sources it repeats, and keeps what is its own", () => {
    const { own, shared } = eventOwnSources(
      [
        { citation: "City of Baltimore, consent decree site", url: "https://example.org/decree" },
        { citation: "DOJ list of investigations", note: "Closed 1998-09-14, as listed." },
        { citation: "Talking Points Memo", url: "https://example.org/tpm" },
        // The same citation at another address is another source.
        { citation: "City of Baltimore, consent decree site", url: "https://example.org/other" },
      ],
      matter,
    );
    expect(shared).toBe(1);
    expect(own.map((s) => s.note ?? s.url)).toEqual([
      "Closed 1998-09-14, as listed.",
      "https://example.org/tpm",
      "https://example.org/other",
    ]);
  });

  it("never loses a source: own and shared together are all of the event's", () => {
    const source = fc.record({
      citation: fc.constantFrom("A", "B", "C"),
      url: fc.option(fc.constantFrom("https://a.example", "https://b.example"), { nil: undefined }),
      note: fc.option(fc.constantFrom("n1", "n2"), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(source, { maxLength: 8 }), fc.array(source, { maxLength: 8 }), (ev, m) => {
        const { own, shared } = eventOwnSources(ev as Source[], m as Source[]);
        expect(own.length + shared).toBe(ev.length);
        for (const s of own) expect(ev).toContain(s);
      }),
      { numRuns: 300 },
    );
  });
});
