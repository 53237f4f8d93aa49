import type { Source } from "@accord/domain";

/** A source's identity: the same citation and address is the same source. */
const sourceKey = (s: Source) => `${s.citation}\u0000${s.url ?? ""}`;

/**
 * An event's own sources, apart from those it shares with its matter. The bundled events repeat
 * their matter's sources (seven under every Baltimore event); the timeline shows the matter's
 * once and, under an event, only what is its own: a source the matter does not cite, or one it
 * does with a note of the event's own (a date "as listed" there). `shared` counts the rest.
 */
export function eventOwnSources(
  eventSources: readonly Source[],
  matterSources: readonly Source[],
): { own: Source[]; shared: number } {
  const matterNotes = new Map(matterSources.map((s) => [sourceKey(s), s.note ?? null]));
  const own: Source[] = [];
  let shared = 0;
  for (const s of eventSources) {
    const key = sourceKey(s);
    const note = s.note ?? null;
    if (matterNotes.has(key) && (note === null || note === matterNotes.get(key))) shared += 1;
    else own.push(s);
  }
  return { own, shared };
}
