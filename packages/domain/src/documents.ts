import { z } from "zod";
import { csvList, HttpUrlSchema, IdSchema, PartialDateSchema, StateCodeSchema } from "./schemas.js";
import { searchQueryProblem } from "./search-query.js";

// ---------------------------------------------------------------- documents

export const DOCUMENT_KINDS = [
  "decree",
  "agreement",
  "findings_report",
  "monitor_report",
  "motion",
  "order",
  "memo",
  "news",
  "other",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  decree: "Consent decree",
  agreement: "Agreement",
  findings_report: "Findings report",
  monitor_report: "Monitor's report",
  motion: "Motion",
  order: "Court order",
  memo: "Memo",
  news: "News",
  other: "Other",
};

export const DOCUMENT_STATUSES = ["queued", "extracting", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** What a person says about a file they add (the file itself comes as multipart). */
export const DocumentMetaSchema = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS).default("other"),
  /** Default: the file's name without its extension. */
  title: z.string().trim().min(1).max(500).optional(),
  date: PartialDateSchema.nullish(),
  sourceUrl: HttpUrlSchema.nullish(),
  public: z.boolean().optional(),
});
export type DocumentMeta = z.input<typeof DocumentMetaSchema>;

export const UpdateDocumentSchema = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS).optional(),
  title: z.string().trim().min(1).max(500).optional(),
  date: PartialDateSchema.nullable().optional(),
  sourceUrl: HttpUrlSchema.nullable().optional(),
  public: z.boolean().optional(),
});
export type UpdateDocument = z.input<typeof UpdateDocumentSchema>;

const DocumentRefSchema = z.object({ id: IdSchema, title: z.string(), matterSlug: z.string().nullable() });

export const DocumentSchema = z.object({
  id: IdSchema,
  matter: z.object({ id: IdSchema, slug: z.string(), title: z.string() }).nullable(),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  date: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  filename: z.string(),
  sha256: z.string(),
  size: z.int(),
  mime: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  /** Why extraction failed, in plain words (encrypted, damaged, not what its name says…). */
  failure: z.string().nullable(),
  pageCount: z.int().nullable(),
  pagesDone: z.int(),
  /** Pages without a text layer (scanned images): their text could not be read. */
  scannedPages: z.array(z.int()),
  /** The same bytes attached elsewhere (one stored file, several documents). */
  sameFile: z.array(DocumentRefSchema),
  /** A document this one closely resembles (a re-filed decree, a reworded copy), with the similarity 0–1. */
  nearDuplicateOf: DocumentRefSchema.extend({ similarity: z.number() }).nullable(),
  public: z.boolean(),
  version: z.int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DocumentRecord = z.infer<typeof DocumentSchema>;

export const DocumentPageSchema = z.object({
  documentId: IdSchema,
  page: z.int(),
  pageCount: z.int(),
  text: z.string(),
});
export type DocumentPage = z.infer<typeof DocumentPageSchema>;

/** Comma-separated or repeated query values (a function: hoisted above its first use). */
function commaList<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    if (v === undefined || v === "") return undefined;
    const arr = Array.isArray(v) ? v : [v];
    return arr.flatMap((x) => String(x).split(",")).filter((x) => x !== "");
  }, z.array(item).optional());
}

/** The answer to an upload: per file, the document, and whether it was already there. */
export const DocumentUploadResultSchema = z.object({
  items: z.array(
    z.object({
      /** The file's name as sent (path segments and control characters removed). */
      filename: z.string(),
      /** The same bytes were already attached to this matter: that document is answered, nothing was added. */
      duplicate: z.boolean(),
      document: DocumentSchema,
    }),
  ),
});
export type DocumentUploadResult = z.infer<typeof DocumentUploadResultSchema>;

/** A matter's documents, for the matter page (poll it while any is queued or extracting). */
export const MatterDocumentsSchema = z.object({ items: z.array(DocumentSchema) });

export const DocumentListQuerySchema = z.strictObject({
  /** Words of the title (each a prefix: "fult dec" finds the Fulton County decree). */
  q: z.string().trim().max(200).optional(),
  /** A matter's id or slug. */
  matter: z.string().max(120).optional(),
  /** Only documents of the department-wide record (no matter), or only those of a matter. */
  departmentWide: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  status: commaList(z.enum(DOCUMENT_STATUSES)),
  kind: commaList(z.enum(DOCUMENT_KINDS)),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const DocumentListSchema = z.object({
  items: z.array(DocumentSchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

// ---------------------------------------------------------------- search

export const SEARCH_TYPES = ["matter", "document_page", "provision"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export const SEARCH_TYPE_LABELS: Record<SearchType, string> = {
  matter: "Matters",
  document_page: "Document pages",
  provision: "Provisions",
};

/**
 * The search box's query: words (all must match), "quoted phrases", -excluded words, and
 * prefixes like train*. Filters narrow by result type, document kind, matter, state and year.
 */
export const SearchQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, "Type something to search for")
    .max(500)
    .superRefine((q, ctx) => {
      const problem = q ? searchQueryProblem(q) : null;
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  type: csvList(z.enum(SEARCH_TYPES)),
  kind: csvList(z.enum(DOCUMENT_KINDS)),
  /** A matter's id or slug. */
  matter: z
    .string()
    .max(120)
    .regex(/^[A-Za-z0-9-]+$/, "A matter's id or slug")
    .optional(),
  /** The state of the matter's jurisdiction (two-letter code). */
  state: csvList(StateCodeSchema),
  /** The year of the document's date, or the year the matter began. */
  year: csvList(z.coerce.number().int().min(1900).max(2100)),
  /** Search within one document: only its pages. */
  document: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type SearchQuery = z.output<typeof SearchQuerySchema>;

/** Marks around a matched term in a snippet (private-use characters: never in real text). */
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

export const SearchHitSchema = z.object({
  type: z.enum(SEARCH_TYPES),
  /** The matter's id, the document's id for a page, or the provision's id. */
  id: IdSchema,
  title: z.string(),
  /** Text around the match; matched terms between HIGHLIGHT_START and HIGHLIGHT_END. */
  snippet: z.string(),
  matter: z.object({ id: IdSchema, slug: z.string(), title: z.string() }).nullable(),
  documentId: IdSchema.nullable(),
  page: z.int().nullable(),
  documentKind: z.enum(DOCUMENT_KINDS).nullable(),
  date: z.string().nullable(),
  rank: z.number(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

const FacetSchema = z.array(z.object({ value: z.string(), label: z.string(), count: z.int() }));

export const SearchResultSchema = z.object({
  items: z.array(SearchHitSchema),
  /** How many match; when `capped`, how many were ranked (at least that many match). */
  total: z.int(),
  /**
   * More matched than the search ranks (a broad query): the results are the best of the first
   * matches read, `total` is a lower bound and the facets count within those ranked.
   */
  capped: z.boolean(),
  limit: z.int(),
  offset: z.int(),
  facets: z.object({
    type: FacetSchema,
    kind: FacetSchema,
    matter: FacetSchema,
    state: FacetSchema,
    year: FacetSchema,
  }),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

// ---------------------------------------------------------------- near-duplicates (MinHash)

const SHINGLE_WORDS = 3;
const PERMUTATIONS = 128;
const PRIME = 4294967311; // the first prime above 2^32

/** Words, lower-cased, without punctuation: what two copies of a text share. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct runs of three consecutive words. */
export function shingles(text: string, size = SHINGLE_WORDS): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  if (w.length < size) {
    if (w.length) out.add(w.join(" "));
    return out;
  }
  for (let i = 0; i + size <= w.length; i++) out.add(w.slice(i, i + size).join(" "));
  return out;
}

/**
 * The 32-bit FNV-1a hash of words `from` to `to` (exclusive) joined by single spaces, computed
 * without building the joined string.
 */
function hashWords(w: readonly string[], from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < to; k++) {
    if (k > from) h = Math.imul(h ^ 0x20, 0x01000193);
    const word = w[k]!;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** The distinct hashes of the shingles of a list of words (of each string `shingles` gives). */
function shingleHashes(w: readonly string[], size = SHINGLE_WORDS): Float64Array {
  if (w.length < size) return w.length ? Float64Array.of(hashWords(w, 0, w.length)) : new Float64Array(0);
  const all = new Float64Array(w.length - size + 1);
  for (let i = 0; i < all.length; i++) all[i] = hashWords(w, i, i + size);
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return all.subarray(0, n);
}

/** Fixed pseudo-random coefficients, the same in every process, so stored signatures compare. */
const COEFFICIENTS: [number, number][] = (() => {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed;
  };
  return Array.from({ length: PERMUTATIONS }, () => [(next() % (PRIME - 1)) + 1, next() % PRIME]);
})();

const A_HI = Float64Array.from(COEFFICIENTS, ([a]) => Math.floor(a / 65536));
const A_LO = Float64Array.from(COEFFICIENTS, ([a]) => a % 65536);
const B = Float64Array.from(COEFFICIENTS, ([, b]) => b);

const TWO_32 = 4294967296;
const INV_TWO_32 = 1 / TWO_32;

/**
 * y mod PRIME for an integer 0 ≤ y < 2^53, without the floating-point `%` (a library call):
 * since 2^32 ≡ −15 (mod PRIME), y = q·2^32 + r ≡ r − 15q.
 */
function reduce(y: number): number {
  const q = Math.floor(y * INV_TWO_32);
  const v = y - q * TWO_32 - 15 * q;
  return v < 0 ? v + PRIME : v;
}

/**
 * The MinHash signature of a text: for each of 128 hash functions h ↦ (a·h + b) mod p, the least
 * value over its shingles' hashes. Exact integer arithmetic in doubles (every intermediate below
 * 2^53): a is split into 16-bit halves, a·h = (hi·h mod p)·2^16 + lo·h. Two reductions are enough:
 * (hi·h mod p)·2^16 + lo·h + b < 2^50, within what `reduce` takes.
 */
export function minhashSignature(text: string): number[] {
  return signatureOfWords(words(text));
}

function signatureOfWords(w: readonly string[]): number[] {
  const hashes = shingleHashes(w);
  const mins = new Float64Array(PERMUTATIONS).fill(PRIME);
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i]!;
    for (let k = 0; k < PERMUTATIONS; k++) {
      const v = reduce(reduce(A_HI[k]! * h) * 65536 + A_LO[k]! * h + B[k]!);
      if (v < mins[k]!) mins[k] = v;
    }
  }
  return Array.from(mins);
}

/**
 * The signature of one part of a text read in parts (pages 1–40 in one thread, 41–80 in
 * another), with what joining the parts needs: the first and last two words and how many.
 */
export interface SignaturePart {
  signature: number[];
  head: string[];
  tail: string[];
  words: number;
}

export function signaturePart(text: string): SignaturePart {
  const w = words(text);
  return { signature: signatureOfWords(w), head: w.slice(0, 2), tail: w.slice(-2), words: w.length };
}

/**
 * The signature of a text from the signatures of its two consecutive parts: exactly
 * `minhashSignature(first + "\n" + second)`. A signature is a minimum over a set of shingles, so
 * the union's is the element-wise minimum; the shingles that span the join are made from the
 * first part's last two words and the second's first two. A part of fewer than three words
 * has no shingles of its own (its signature holds the words as one), so it adds only its span.
 */
export function joinSignatureParts(first: SignaturePart, second: SignaturePart): number[] {
  if (!first.words) return second.signature;
  if (!second.words) return first.signature;
  const signatures = [signatureOfWords([...first.tail, ...second.head])];
  if (first.words >= SHINGLE_WORDS) signatures.push(first.signature);
  if (second.words >= SHINGLE_WORDS) signatures.push(second.signature);
  return signatures[0]!.map((_, k) => Math.min(...signatures.map((s) => s[k]!)));
}

/** Estimated Jaccard similarity of two texts' shingles from their signatures (0–1). */
export function signatureSimilarity(a: readonly number[], b: readonly number[]): number {
  if (!a.length || a.length !== b.length) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i] && a[i] !== PRIME) same++;
  return same / a.length;
}

/** The exact Jaccard similarity of two texts' shingles (for tests and small texts). */
export function jaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  if (!x.size && !y.size) return 0;
  let both = 0;
  for (const s of x) if (y.has(s)) both++;
  return both / (x.size + y.size - both);
}

/** From this similarity on, a document is flagged as a near-duplicate of another. */
export const NEAR_DUPLICATE_THRESHOLD = 0.3;
