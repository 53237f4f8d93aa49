import type { RouteEntry } from "../src/modules/auth/auth.plugin.js";

/**
 * The route inventory in tests, and reading its zod schemas (zod 4): which objects a schema holds and whether each
 * refuses unknown keys, and the top-level fields of a body or query with their kinds.
 */

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string } };
}

const isZod = (s: unknown): s is ZodLike =>
  typeof s === "object" && s !== null && "_zod" in s && typeof (s as ZodLike)._zod?.def === "object";

/** The schema under its wrappers (optional, default, a transform's input...). */
export function unwrap(s: unknown): ZodLike | undefined {
  for (let cur = s, depth = 0; isZod(cur) && depth < 20; depth++) {
    const def = cur._zod.def;
    if (def.type === "pipe") cur = def.in;
    else if (
      ["optional", "nullable", "default", "prefault", "readonly", "nonoptional", "catch"].includes(def.type)
    )
      cur = def.innerType;
    else return cur;
  }
  return undefined;
}

/** Every object schema inside `schema`, with its path and whether it refuses unknown keys. */
export function objectsOf(
  schema: unknown,
  path = "",
  seen = new Set<unknown>(),
): { path: string; strict: boolean }[] {
  const s = unwrap(schema);
  if (!s || seen.has(s)) return [];
  seen.add(s);
  const def = s._zod.def;
  switch (def.type) {
    case "object": {
      const catchall = def.catchall;
      const own = { path: path || "(root)", strict: isZod(catchall) && catchall._zod.def.type === "never" };
      return [
        own,
        ...Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) =>
          objectsOf(v, path ? `${path}.${k}` : k, seen),
        ),
      ];
    }
    case "array":
      return objectsOf(def.element, `${path}[]`, seen);
    case "union":
      return (def.options as unknown[]).flatMap((o) => objectsOf(o, path, seen));
    case "intersection":
      return [...objectsOf(def.left, path, seen), ...objectsOf(def.right, path, seen)];
    default:
      return [];
  }
}

export type FieldKind = "string" | "number" | "boolean" | "array" | "object" | "enum" | "other";

/** The top-level fields of an object schema and what kind of value each takes. */
export function fieldsOf(schema: unknown): { name: string; kind: FieldKind }[] {
  const s = unwrap(schema);
  if (s?._zod.def.type !== "object") return [];
  return Object.entries(s._zod.def.shape as Record<string, unknown>).map(([name, v]) => {
    const type = unwrap(v)?._zod.def.type;
    const kind: FieldKind =
      type === "string" || type === "number" || type === "boolean" || type === "array" || type === "object"
        ? type
        : type === "enum" || type === "literal"
          ? "enum"
          : type === "int" || type === "bigint"
            ? "number"
            : "other";
    return { name, kind };
  });
}

/** The API's routes from the route inventory (each with its policy and schemas). */
export const apiRoutes = (app: { routePolicies: RouteEntry[] }) =>
  app.routePolicies.filter((r) => r.url.startsWith("/api/v1"));

export const routeName = (r: RouteEntry) => `${r.method} ${r.url}`;

export const schemaOf = (r: RouteEntry) => (r.schema ?? {}) as Record<string, unknown>;

const NIL = "00000000-0000-4000-8000-000000000000";

/** A route's address with every path parameter given `value` (a nil uuid unless said). */
export const concrete = (url: string, value = NIL) =>
  url
    .replace(":entity", "matter")
    .replace(":number", "1")
    .replace(":rater", "monitor")
    .replace(/:(key|relatedKey|id|user|ref|periodId|rater|n)\b/g, value);
