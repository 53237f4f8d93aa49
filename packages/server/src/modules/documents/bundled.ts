import { createReadStream, existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DOCUMENT_KINDS, HttpUrlSchema, PartialDateSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { systemContext } from "../../context/command-context.js";
import type { Database } from "../../db/open.js";
import { settings } from "../../db/schema.js";
import { queryOne } from "../../db/sql.js";
import { addDocuments } from "./commands/add-documents.js";
import { BlobStore } from "./storage.js";

/** data/documents/manifest.json: the documents shipped with Accord, each with its matter. */
export const DocumentManifestSchema = z.strictObject({
  format: z.literal("accord-documents"),
  version: z.literal(1),
  documents: z.array(
    z.strictObject({
      /** The file, relative to the manifest (the document is named by its base name). */
      file: z.string().min(1),
      /** The matter's slug; null for the department-wide record. */
      matter: z.string().nullable(),
      kind: z.enum(DOCUMENT_KINDS),
      title: z.string().min(1).max(500),
      date: PartialDateSchema.nullable(),
      sourceUrl: HttpUrlSchema.nullable(),
      public: z.boolean(),
    }),
  ),
});

/** The manifest beside the bundled dataset: `<bundle dir>/../documents/manifest.json`. */
export function documentManifestPath(bundlePath: string | null): string | null {
  if (!bundlePath) return null;
  const path = join(dirname(dirname(bundlePath)), "documents", "manifest.json");
  return existsSync(path) ? path : null;
}

/**
 * On the first start only: adds the bundled documents to their matters and queues their text
 * extraction, which the job runner does in the background once the server listens. Copying the
 * files takes well under a second; a document whose matter is not in the registry is skipped.
 */
export async function loadBundledDocumentsOnce(
  database: Database,
  manifestPath: string | null,
  dataDir: string,
  log: (m: string) => void,
) {
  if (!manifestPath) return;
  const done = await queryOne(database.db, sql`select 1 from settings where key = 'documents_loaded'`);
  if (done) return;
  const manifest = DocumentManifestSchema.parse(JSON.parse(readFileSync(manifestPath, "utf8")));
  const store = new BlobStore(dataDir);
  const ctx = systemContext(database.db, "system");
  const loaded: string[] = [];
  for (const entry of manifest.documents) {
    if (
      entry.matter &&
      !(await queryOne(database.db, sql`select 1 from matters where slug = ${entry.matter}`))
    ) {
      log(`Bundled document ${entry.file} skipped: no matter ${entry.matter} in the registry`);
      continue;
    }
    const path = join(dirname(manifestPath), entry.file);
    const staged = await store.stage(createReadStream(path), entry.file, Number.MAX_SAFE_INTEGER);
    try {
      await addDocuments(
        {
          matterKey: entry.matter,
          files: [{ staged, filename: basename(entry.file) }],
          meta: {
            kind: entry.kind,
            title: entry.title,
            date: entry.date,
            sourceUrl: entry.sourceUrl,
            public: entry.public,
          },
          store,
        },
        ctx,
      );
    } finally {
      await store.discard(staged);
    }
    loaded.push(basename(entry.file));
  }
  await database.db
    .insert(settings)
    .values({ key: "documents_loaded", value: { at: new Date().toISOString(), loaded } })
    .onConflictDoNothing();
  if (loaded.length) log(`Added ${loaded.length} bundled documents; their text is read in the background`);
}
