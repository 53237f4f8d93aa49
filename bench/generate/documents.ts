/**
 * Synthetic documents for the benchmarks: pages of made-up prose in the registry's vocabulary,
 * a few at a time (documentStream) or as a corpus of hundreds of thousands of pages built from a
 * pool of paragraphs (searchCorpus). Deterministic for a seed; meant for measuring search.
 */
import { int, partialDate, pick, prng, weightedPicker } from "./random.js";

/** Words of the trade, most frequent first (their weights fall off as in natural text). */
export const CONTENT_WORDS = (
  "officers department police force use training supervisors review report complaints investigation " +
  "policy community monitor compliance court agreement decree data searches arrests stops detention " +
  "vehicle pursuits cameras crisis intervention mental health de-escalation discipline misconduct " +
  "accountability transparency bias discrimination language access youth schools canine taser firearms " +
  "weapons injuries incidents evidence audit assessment plan implementation deadline paragraph section " +
  "provision requirement recruitment hiring promotion wellness equipment technology system records " +
  "analysis annual semiannual quarterly city county sheriff jail custody medical sexual assault gender " +
  "retaliation protest demonstration crowd chemical spray baton restraint handcuffs transport booking " +
  "warrant probable cause reasonable suspicion consent frisk pedestrian traffic citation fines fees " +
  "residents neighborhood outreach partnership survey trust legitimacy oversight board commission " +
  "civilian inspector general internal affairs allegation finding sustained unfounded exonerated " +
  "corrective action counseling suspension termination arbitration union contract overtime staffing " +
  "patrol district precinct sergeant lieutenant captain commander chief deputy academy curriculum " +
  "instructor lesson scenario simulation certification documentation narrative supervisor's approval " +
  "timeliness backlog deficiency progress substantial partial noncompliance methodology sample " +
  "reviewed files interviews observations ride-alongs footage dispatch calls service response " +
  "homeless encampment disability accommodation interpreter limited english proficiency juvenile " +
  "student resource officer school district arrest-related death in-custody hospital transport"
).split(/\s+/);
const FUNCTION_WORDS =
  "the of and to in a that shall be by for with as on or is its this any all will not from each which have are an at such".split(
    " ",
  );
export const STOCK_PHRASES = [
  "use of force",
  "body-worn cameras",
  "crisis intervention team",
  "community policing",
  "bias-free policing",
  "internal affairs",
  "early intervention system",
  "stop and frisk",
  "probable cause",
  "mental health crisis",
];
const DOCUMENT_KIND_WEIGHTS = [
  ["decree", 8],
  ["agreement", 6],
  ["findings_report", 6],
  ["monitor_report", 14],
  ["motion", 5],
  ["order", 6],
  ["memo", 4],
  ["news", 3],
  ["other", 2],
] as const;

export interface GeneratedDocument {
  /** Index into the bundle's matters, or null for a department-wide document. */
  matter: number | null;
  kind: (typeof DOCUMENT_KIND_WEIGHTS)[number][0];
  title: string;
  date: string;
  public: boolean;
  pages: string[];
}

export interface GenerateDocumentsOptions {
  documents: number;
  pagesPerDocument: number;
  matters: number;
  seed: number;
  wordsPerPage?: number;
}

const SYLLABLES = "ka lo mi ren tor va qui sen dal por bri nu fe gam osh".split(" ");

/**
 * The generated prose's vocabulary, drawing from `r`: the trade's words fall off steeply (police
 * is on most pages, canine on few); made-up words (a long tail of names, places and terms) fill a
 * fifth of the text; stock phrases now and then.
 */
function vocabulary(r: () => number) {
  const trade = CONTENT_WORDS.map((w, k) => [w, 1 / (k + 1) ** 1.1] as const);
  const tail = Array.from({ length: 3000 }, (_, k) => {
    const n = 2 + (k % 3);
    return Array.from(
      { length: n },
      (_, s) => SYLLABLES[(k * 7 + s * 11 + Math.floor(k / (s + 1))) % SYLLABLES.length],
    ).join("");
  }).map((w, k) => [w, 1 / (k + 1)] as const);
  const tradeWord = weightedPicker(trade);
  const tailWord = weightedPicker(tail);
  const kindOf = weightedPicker(DOCUMENT_KIND_WEIGHTS);
  const sentence = () => {
    const words: string[] = [];
    const length = int(r, 8, 22);
    while (words.length < length) {
      const x = r();
      if (x < 0.03) words.push(...pick(r, STOCK_PHRASES).split(" "));
      else if (x < 0.45) words.push(pick(r, FUNCTION_WORDS));
      else if (x < 0.8) words.push(tradeWord(r));
      else words.push(tailWord(r));
    }
    const text = words.join(" ");
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  return { sentence, kindOf, tradeWord, syllables: SYLLABLES };
}

/**
 * Synthetic documents with pages of made-up prose in the registry's vocabulary (a Zipf-like
 * spread of words, stock phrases such as "use of force" here and there, a long tail of made-up
 * words): deterministic for a seed, meant for measuring search, not for reading. One at a time,
 * so that a corpus of hundreds of thousands of pages never sits in memory whole.
 */
export function* documentStream(options: GenerateDocumentsOptions): Generator<GeneratedDocument> {
  const r = prng(options.seed);
  const wordsPerPage = options.wordsPerPage ?? 350;
  const { sentence, kindOf, tradeWord } = vocabulary(r);
  const page = () => {
    const sentences: string[] = [];
    let count = 0;
    while (count < wordsPerPage) {
      const s = sentence();
      count += s.split(" ").length;
      sentences.push(s);
    }
    return sentences.join(" ");
  };
  for (let i = 0; i < options.documents; i++) {
    const kind = kindOf(r);
    const topic = [tradeWord(r), pick(r, FUNCTION_WORDS.slice(0, 3)), tradeWord(r)].join(" ");
    yield {
      matter: r() < 0.1 ? null : int(r, 0, options.matters - 1),
      kind,
      title: `Synthetic ${kind.replace(/_/g, " ")} ${i}: ${topic}`,
      date: partialDate(r, int(r, 1994, 2025)),
      public: r() < 0.5,
      pages: Array.from({ length: options.pagesPerDocument }, page),
    };
  }
}

/** The documents of documentStream, all at once (small corpora). */
export function generateDocuments(options: GenerateDocumentsOptions): GeneratedDocument[] {
  return [...documentStream(options)];
}

// ------------------------------------------------------------------ the large search corpus

export interface SearchCorpusOptions {
  /** Pages in all (default 200,000). */
  pages: number;
  pagesPerDocument: number;
  matters: number;
  seed: number;
  /** Distinct paragraphs the pages are made of (default 30,000). */
  paragraphs?: number;
  wordsPerPage?: number;
}

export interface CorpusDocument extends Omit<GeneratedDocument, "pages"> {
  /** Per page: the paragraphs it is made of, by index into `paragraphs`, then a few rare words. */
  pages: { paragraphs: number[]; rare: string }[];
}

/**
 * A corpus of hundreds of thousands of pages, made cheaply: a pool of distinct paragraphs (three
 * to six sentences) in the same vocabulary as documentStream (a Zipf-like spread of the trade's
 * words, stock phrases, a long tail of made-up words), each page a random draw of them plus three
 * rare words (as names and numbers are: one of 50,625 made-up words, on a dozen pages each), so a
 * loader computes each paragraph's tsvector once and a page's as their concatenation.
 * Deterministic for a seed.
 */
export function searchCorpus(options: SearchCorpusOptions): {
  paragraphs: string[];
  documents: () => Generator<CorpusDocument>;
} {
  const r = prng(options.seed + 101);
  const { sentence, kindOf, tradeWord, syllables } = vocabulary(r);
  const paragraphs = Array.from({ length: options.paragraphs ?? 30_000 }, () =>
    Array.from({ length: int(r, 3, 6) }, sentence).join(" "),
  );
  const lengths = paragraphs.map((s) => s.split(" ").length);
  const wordsPerPage = options.wordsPerPage ?? 350;
  /** Four syllables, 15^4 of them: "kalomiren". */
  const rareWord = () => Array.from({ length: 4 }, () => pick(r, syllables)).join("");
  const documents = options.pages > 0 ? Math.ceil(options.pages / options.pagesPerDocument) : 0;
  function* generate(): Generator<CorpusDocument> {
    let left = options.pages;
    for (let i = 0; i < documents; i++) {
      const kind = kindOf(r);
      const topic = [tradeWord(r), pick(r, FUNCTION_WORDS.slice(0, 3)), tradeWord(r)].join(" ");
      const count = Math.min(options.pagesPerDocument, left);
      left -= count;
      yield {
        matter: r() < 0.1 ? null : int(r, 0, options.matters - 1),
        kind,
        title: `Synthetic ${kind.replace(/_/g, " ")} ${i}: ${topic}`,
        date: partialDate(r, int(r, 1994, 2025)),
        public: r() < 0.5,
        pages: Array.from({ length: count }, () => {
          const picked: number[] = [];
          let words = 0;
          while (words < wordsPerPage) {
            const k = Math.floor(r() * paragraphs.length);
            picked.push(k);
            words += lengths[k]!;
          }
          return { paragraphs: picked, rare: `${rareWord()} ${rareWord()} ${rareWord()}.` };
        }),
      };
    }
  }
  return { paragraphs, documents: generate };
}
