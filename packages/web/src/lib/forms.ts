import type { Problem } from "@accord/domain";
import type { FormErrors } from "@mantine/form";
import { isApiError } from "../api/client";

/** What a form needs of a zod schema; kept structural so the web package need not import zod. */
export interface ParsingSchema {
  safeParse(
    value: unknown,
  ):
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/** What `maxLengths` reads of a zod schema, structurally (see ParsingSchema). */
interface SchemaNode {
  shape?: Record<string, unknown>;
  unwrap?: () => unknown;
  maxLength?: number | null;
  /** A union's members. */
  options?: readonly unknown[];
}

/**
 * The longest text each field of a domain schema takes, keyed by field path with `*` for a
 * list's items ("title" → 300, "sources.*.citation" → 500): the inputs carry the server's
 * limits, so nobody types 10,000 characters into a field that takes 300. A union's members add
 * up (a field several of them have keeps the first one's limit).
 */
export function maxLengths(schema: unknown, prefix = ""): Record<string, number> {
  const out: Record<string, number> = {};
  const options = (schema as SchemaNode | null)?.options;
  if (Array.isArray(options)) {
    for (const option of options) {
      for (const [k, v] of Object.entries(maxLengths(option, prefix))) if (!(k in out)) out[k] = v;
    }
    return out;
  }
  const shape = (schema as SchemaNode | null)?.shape;
  if (!shape) return out;
  for (const [key, field] of Object.entries(shape)) {
    let node = field as SchemaNode | undefined;
    let path = `${prefix}${key}`;
    // Optional, nullable, default and array wrappers all `unwrap()`; an array's items get `*`.
    for (let depth = 0; node && depth < 6; depth++) {
      if (typeof node.maxLength === "number") {
        out[path] = node.maxLength;
        break;
      }
      if (node.shape) {
        Object.assign(out, maxLengths(node, `${path}.`));
        break;
      }
      if (typeof node.unwrap !== "function") break;
      if ((node as { def?: { type?: string } }).def?.type === "array") path = `${path}.*`;
      node = node.unwrap() as SchemaNode;
    }
  }
  return out;
}

/** A field's limit from `maxLengths`, for a path with list indexes ("sources.2.url"). */
export function maxLengthOf(limits: Record<string, number>, field: string): number | undefined {
  return limits[field.replace(/\.\d+(?=\.|$)/g, ".*")];
}

/**
 * A useForm `enhanceGetInputProps` that marks each input with its field path (for focus on the
 * first error) and gives text inputs the schema's maxLength.
 */
export function limitedInputs(schema: unknown) {
  const limits = maxLengths(schema);
  return ({ field }: { field: string }) => {
    const maxLength = maxLengthOf(limits, field);
    return maxLength === undefined ? { "data-path": field } : { "data-path": field, maxLength };
  };
}

/** Run a domain schema over a payload and key its messages by field path ("sources.0.url"). */
export function schemaErrors(schema: ParsingSchema, payload: unknown): FormErrors {
  const result = schema.safeParse(payload);
  if (result.success) return {};
  const errors: FormErrors = {};
  for (const issue of result.error.issues) {
    const key = issuePath(issue.path) || "_form";
    if (!(key in errors)) errors[key] = issue.message;
  }
  return errors;
}

export interface ServerErrors {
  /** Messages that belong to a field the form shows. */
  fields: FormErrors;
  /** Messages for paths the form has no field for, shown above the form. */
  other: string[];
}

function withAllowed(message: string, allowed?: readonly string[]): string {
  return allowed && allowed.length > 0 ? `${message} (allowed: ${allowed.join(", ")})` : message;
}

/** Spread a problem+json `errors` list over the form's fields. */
export function serverErrors(problem: Problem | null, fieldPaths: readonly string[]): ServerErrors {
  const fields: FormErrors = {};
  const other: string[] = [];
  for (const e of problem?.errors ?? []) {
    const path = e.path
      .replace(/^body\.?/, "")
      .replace(/^\//, "")
      .replaceAll("/", ".");
    const msg = withAllowed(e.message, e.allowed);
    const known = fieldPaths.includes(path) || /^sources\.\d+\.(citation|url|note)$/.test(path);
    if (known) {
      if (!(path in fields)) fields[path] = msg;
    } else {
      // The server's messages name their field ("Ends on can be at most …"): no path in front.
      other.push(msg);
    }
  }
  return { fields, other };
}

/** Move the keyboard focus to the first field with an error, in the order the form shows them. */
export function focusFirstError(errors: FormErrors, order: readonly string[]): void {
  const keys = Object.keys(errors);
  if (keys.length === 0) return;
  const ranked = [...keys].sort((a, b) => rank(a, order) - rank(b, order));
  requestAnimationFrame(() => {
    for (const key of ranked) {
      const node = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(key)}"]`);
      if (node) {
        node.focus();
        node.scrollIntoView({ block: "center", behavior: "smooth" });
        return;
      }
    }
  });
}

function rank(key: string, order: readonly string[]): number {
  const base = key.split(".")[0] ?? key;
  const i = order.indexOf(key);
  if (i >= 0) return i;
  const j = order.indexOf(base);
  return j >= 0 ? j + 0.5 : order.length;
}

/** Empty text → null, so a cleared field clears the record's value. */
export function textOrNull(value: string): string | null {
  const t = value.trim();
  return t === "" ? null : t;
}

/** Only the keys whose value differs from the starting point: an edit sends what it changed. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = after[key];
  }
  return out;
}

/** Turn a title into a slug as the domain's SlugSchema wants it. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120)
    .replace(/-+$/g, "");
}

export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.problem?.detail ?? error.problem?.title ?? error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

// ---------------------------------------------------------------- sources

export interface SourceValues {
  citation: string;
  url: string;
  note: string;
}

export function sourcesToValues(
  sources: readonly { citation: string; url?: string | null; note?: string | null }[],
): SourceValues[] {
  return sources.map((s) => ({ citation: s.citation, url: s.url ?? "", note: s.note ?? "" }));
}

export function sourcesToPayload(values: readonly SourceValues[]) {
  return values.map((s) => ({
    citation: s.citation.trim(),
    url: textOrNull(s.url),
    note: textOrNull(s.note),
  }));
}

/**
 * An edit's body: the fields that changed, plus the list fields named in `always`, sent as they
 * stand. The domain's Update schemas keep `.default([])` on `agencyIds` and `sources` under
 * `.partial()`, so a PATCH that leaves a list out has it parsed as `[]` and cleared; sending the
 * current list keeps it.
 */
export function editBody<T extends Record<string, unknown>>(
  before: T,
  after: T,
  always: readonly (keyof T)[],
): Partial<T> {
  const patch = changedFields(before, after);
  if (Object.keys(patch).length === 0) return patch;
  for (const key of always) patch[key] = after[key];
  return patch;
}
