import { createReadStream } from "node:fs";
import {
  DOCUMENT_KINDS,
  DocumentListQuerySchema,
  DocumentListSchema,
  type DocumentMeta,
  DocumentMetaSchema,
  DocumentPageSchema,
  DocumentSchema,
  DocumentUploadResultSchema,
  MatterDocumentsSchema,
  UpdateDocumentSchema,
} from "@accord/domain";
import multipart from "@fastify/multipart";
import { type FastifyPluginAsyncZod, validatorCompiler } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError, issuesToFieldErrors } from "../../context/app-error.js";
import { unscoped } from "../../context/command-context.js";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { getMatter } from "../matters/index.js";
import { addDocuments } from "./commands/add-documents.js";
import { deleteDocument } from "./commands/delete-document.js";
import { updateDocument } from "./commands/update-document.js";
import {
  findDocuments,
  findMatterDocuments,
  getDocument,
  getDocumentFile,
  getDocumentPage,
} from "./queries.js";
import { type BlobStore, formatBytes, type StagedFile } from "./storage.js";

export interface DocumentRoutesOptions {
  store: BlobStore;
  /** The largest file accepted, in bytes (ACCORD_UPLOAD_LIMIT_MB). */
  uploadLimitBytes: number;
  /** Tells the job runner that extraction jobs were queued. */
  wakeJobs: () => void;
}

/** At most this many files in one upload. */
export const MAX_FILES = 20;
const META_FIELDS = new Set(["kind", "title", "date", "sourceUrl", "public"]);

const tags = ["documents"];
const READ = { policy: "registry:read" as const, publicRead: true };
const WRITE = { policy: "registry:write" as const };
const IdParamsSchema = z.strictObject({ id: z.uuid().meta({ description: "The document's id" }) });

/** The upload form, for the OpenAPI description only: the parts are read as a stream, not validated here. */
const UploadFormSchema = z.object({
  file: z
    .array(z.string().meta({ format: "binary" }))
    .meta({ description: "One or more files (any field name is accepted for files)" }),
  kind: z.enum(DOCUMENT_KINDS).optional().meta({ description: "Applies to every file; default other" }),
  title: z.string().optional().meta({ description: "Applies to every file; default: each file's name" }),
  date: z.string().optional().meta({ description: "YYYY, YYYY-MM or YYYY-MM-DD" }),
  sourceUrl: z.string().optional().meta({ description: "Where the document comes from (http or https)" }),
  public: z.enum(["true", "false"]).optional().meta({ description: "Readable under public reading" }),
});

/** The form's text fields, as the metadata every file of this upload gets. */
function parseMeta(fields: Record<string, string>): DocumentMeta {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v.trim() === "") continue;
    raw[k] = k === "public" ? ["true", "1", "on", "yes"].includes(v.trim().toLowerCase()) : v;
  }
  const parsed = DocumentMetaSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = issuesToFieldErrors(parsed.error.issues);
    throw appError(
      "validation_failed",
      `Invalid form field ${errors[0]?.path}: ${errors[0]?.message}; nothing was added`,
      { errors },
    );
  }
  return parsed.data;
}

/** The multipart plugin's own errors, as problems that say what to do. */
function multipartProblem(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "FST_FILES_LIMIT":
      return appError("too_many_files", `Send at most ${MAX_FILES} files in one upload; nothing was added`);
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return appError("too_many_parts", "The form has too many fields; nothing was added");
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
      return appError(
        "unsupported_media_type",
        "Send the files as multipart/form-data (any field name for files; fields kind, title, date, sourceUrl, public)",
      );
    default:
      return e;
  }
}

/** A Content-Disposition value that keeps non-ASCII names (RFC 6266 / 5987). */
function contentDisposition(type: "inline" | "attachment", filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  // encodeURIComponent leaves ' ( ) * as they are; RFC 5987's attr-char does not allow them.
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const documentRoutes: FastifyPluginAsyncZod<DocumentRoutesOptions> = async (app, options) => {
  const { store, uploadLimitBytes } = options;
  await app.register(multipart, {
    limits: {
      fileSize: uploadLimitBytes,
      files: MAX_FILES,
      fields: 20,
      parts: MAX_FILES + 20,
      fieldSize: 10_000,
      headerPairs: 100,
    },
  });

  app.post(
    "/matters/:key/documents",
    {
      config: WRITE,
      // The body is a multipart stream read part by part below: its schema only documents it.
      validatorCompiler: (route) =>
        route.httpPart === "body" ? () => ({ value: undefined }) : validatorCompiler(route as never),
      schema: {
        tags,
        summary: "Add documents to a matter (multipart upload of one or more files)",
        description: `Send multipart/form-data: up to ${MAX_FILES} files (PDF, HTML, plain text, DOCX; at most ${formatBytes(uploadLimitBytes)} each) and, before or after them, the fields kind, title, date, sourceUrl and public, which apply to every file of the upload (a file's title defaults to its name). What a file is comes from its bytes, not its name. Each file gets its document at once (201): queued for text extraction, or failed with the reason (empty, not a readable type, or not the type its name says). The same bytes already on this matter answer the existing document with duplicate: true (200 when nothing was added). Clients follow extraction by polling GET /matters/{key}/documents or GET /documents/{id} until the status is ready or failed.`,
        consumes: ["multipart/form-data"],
        params: KeyParamsSchema,
        body: UploadFormSchema,
        response: {
          200: DocumentUploadResultSchema,
          201: DocumentUploadResultSchema,
          ...problems(400, 404, 413, 415),
        },
      },
    },
    async (req, reply) => {
      // Before the files are read, so an unknown matter costs no upload; the policy allowed the write.
      const matter = await getMatter(unscoped(req.ctx), req.params.key);
      if (!req.isMultipart()) throw multipartProblem({ code: "FST_INVALID_MULTIPART_CONTENT_TYPE" });
      const files: { staged: StagedFile; filename: string }[] = [];
      const fields: Record<string, string> = {};
      try {
        try {
          for await (const part of req.parts()) {
            if (part.type === "file") {
              const filename = part.filename || "untitled";
              const staged = await store.stage(
                part.file,
                filename,
                uploadLimitBytes,
                () => part.file.truncated,
              );
              files.push({ staged, filename });
            } else {
              if (!META_FIELDS.has(part.fieldname))
                throw appError(
                  "validation_failed",
                  `Unknown form field "${part.fieldname}" (fields: ${[...META_FIELDS].join(", ")}); nothing was added`,
                  { errors: [{ path: part.fieldname, message: "Unknown field" }] },
                );
              fields[part.fieldname] = String(part.value ?? "");
            }
          }
        } catch (e) {
          throw multipartProblem(e);
        }
        if (!files.length)
          throw appError("no_files", "The upload holds no file: add one or more files to the form");
        const meta = parseMeta(fields);
        const added = await addDocuments({ matterKey: matter.id, files, meta, store }, req.ctx);
        if (added.some((a) => a.document.status === "queued")) options.wakeJobs();
        return reply.code(added.some((a) => !a.duplicate) ? 201 : 200).send({ items: added });
      } finally {
        // Files not moved into the store (an error on the way) leave nothing behind.
        for (const f of files) await store.discard(f.staged);
      }
    },
  );

  app.get(
    "/matters/:key/documents",
    {
      config: READ,
      schema: {
        tags,
        summary: "The documents of a matter (poll while any is queued or extracting)",
        params: KeyParamsSchema,
        response: { 200: MatterDocumentsSchema, ...problems(404) },
      },
    },
    async (req) => findMatterDocuments(req.ctx, req.params.key),
  );

  app.get(
    "/documents",
    {
      config: READ,
      schema: {
        tags,
        summary: "List documents (of a matter, department-wide, by status, kind or title words)",
        querystring: DocumentListQuerySchema,
        response: { 200: DocumentListSchema, ...problems(400) },
      },
    },
    async (req) => findDocuments(req.ctx, req.query),
  );

  app.get(
    "/documents/:id",
    {
      config: READ,
      schema: {
        tags,
        summary: "Get a document: what it is, its extraction status and progress, its duplicates",
        params: IdParamsSchema,
        response: { 200: DocumentSchema, ...problems(404) },
      },
    },
    async (req, reply) => {
      const d = await getDocument(req.ctx, req.params.id);
      reply.header("etag", etagOf(d.version)).header("cache-control", "no-store");
      return d;
    },
  );

  app.get(
    "/documents/:id/file",
    {
      config: READ,
      schema: {
        tags,
        summary: "Download the document's file (PDF and text open in the browser unless ?download=1)",
        params: IdParamsSchema,
        querystring: z.strictObject({ download: z.enum(["0", "1", "true", "false"]).optional() }),
        produces: ["application/octet-stream"],
        response: { 200: z.any(), ...problems(404) },
      },
    },
    async (req, reply) => {
      const f = await getDocumentFile(req.ctx, req.params.id);
      if (!store.has(f.sha256))
        throw appError("file_missing", "The stored file is missing from the data directory");
      const isPdf = f.mime === "application/pdf";
      const isText = f.mime === "text/plain";
      const download = req.query.download === "1" || req.query.download === "true";
      // Uploaded bytes never run in our origin: only PDFs (the browser's own viewer) and plain
      // text open inline; HTML and everything else is a download, sandboxed besides.
      const inline = !download && (isPdf || isText);
      return reply
        .type(isPdf ? "application/pdf" : isText ? "text/plain; charset=utf-8" : "application/octet-stream")
        .header("content-length", f.size)
        .header("content-disposition", contentDisposition(inline ? "inline" : "attachment", f.filename))
        .header(
          "content-security-policy",
          isPdf && inline ? "default-src 'none'; object-src 'self'" : "default-src 'none'; sandbox",
        )
        .header("etag", `"${f.sha256}"`)
        .header("cache-control", "no-store")
        .send(createReadStream(store.pathOf(f.sha256)));
    },
  );

  app.get(
    "/documents/:id/pages/:n",
    {
      config: READ,
      schema: {
        tags,
        summary: "The text of one page of a document",
        params: z.strictObject({
          id: z.uuid().meta({ description: "The document's id" }),
          n: z.coerce.number().int().min(1).max(1_000_000).meta({ description: "The page number, from 1" }),
        }),
        response: { 200: DocumentPageSchema, ...problems(404) },
      },
    },
    async (req) => getDocumentPage(req.ctx, req.params.id, req.params.n),
  );

  app.patch(
    "/documents/:id",
    {
      config: WRITE,
      schema: {
        tags,
        summary: "Update what is said about a document (send If-Match with the version you read)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateDocumentSchema,
        response: { 200: DocumentSchema, ...problems(400, 404, 412, 428) },
      },
    },
    async (req, reply) => {
      const d = await updateDocument(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(d.version));
      return d;
    },
  );

  app.delete(
    "/documents/:id",
    {
      config: WRITE,
      schema: {
        tags,
        summary:
          "Delete a document and its text; its file stays while another document uses it (send If-Match)",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: z.null(), ...problems(404, 412, 428) },
      },
    },
    async (req, reply) => {
      await deleteDocument(
        { id: req.params.id, version: requireIfMatch(req.headers["if-match"]), store },
        req.ctx,
      );
      return reply.code(204).send(null);
    },
  );
};
