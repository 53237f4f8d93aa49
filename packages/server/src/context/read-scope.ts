import { type SQL, sql } from "drizzle-orm";

/**
 * Which matters, events and documents a caller may read. Everyone who may read sees everything,
 * except monitors (the matters they are assigned to, and those matters' events and documents)
 * and anonymous visitors under ACCORD_PUBLIC_READ=1 (the matters marked public, and their events
 * and documents marked public; department-wide events and documents marked public too; provisions
 * of a public matter only when the document they were read from is public as well). Grant awards
 * and conditions: everyone who reads everything; anonymous visitors those marked public; monitors
 * none (they follow the matters assigned to them).
 */
export type ReadScope = { kind: "all" } | { kind: "public" } | { kind: "assigned"; userId: string };

export const ALL: ReadScope = { kind: "all" };
export const PUBLIC: ReadScope = { kind: "public" };

/**
 * Common table expressions named `matters`, `events`, `documents`, `provisions` (those of the
 * matters in view), `awards` and `conditions` that shadow the tables for the rest of the statement, so a query written for
 * the whole registry reads only what the scope allows: nothing can be forgotten in a join or a
 * subquery. Null when the scope is everything.
 */
function shadowingTables(scope: ReadScope): SQL | null {
  switch (scope.kind) {
    case "all":
      return null;
    case "public":
      return sql`matters as (select * from public.matters where public),
        events as (select e.* from public.events e
          where e.public and (e.matter_id is null or e.matter_id in (select id from matters))),
        documents as (select d.* from public.documents d
          where d.public and (d.matter_id is null or d.matter_id in (select id from matters))),
        provisions as (select p.* from public.provisions p where p.matter_id in (select id from matters)
          and p.document_id in (select id from documents)),
        awards as (select * from public.awards where public),
        conditions as (select * from public.conditions where public)`;
    case "assigned":
      return sql`matters as (select m.* from public.matters m where m.id in
          (select x.matter_id from matter_assignments x where x.user_id = ${scope.userId})),
        events as (select e.* from public.events e where e.matter_id in (select id from matters)),
        documents as (select d.* from public.documents d where d.matter_id in (select id from matters)),
        provisions as (select p.* from public.provisions p where p.matter_id in (select id from matters)),
        awards as (select * from public.awards where false),
        conditions as (select * from public.conditions where false)`;
  }
}

/** The statement, reading only the matters, events and documents the scope allows. */
export function inScope(scope: ReadScope, statement: SQL): SQL {
  const tables = shadowingTables(scope);
  return tables ? sql`with ${tables} ${statement}` : statement;
}

/** For a statement with its own WITH list: the scope's tables and a comma, to put first in it. */
export function scopeTables(scope: ReadScope): SQL {
  const tables = shadowingTables(scope);
  return tables ? sql`${tables}, ` : sql``;
}

/** A prefix for cache keys: answers computed for one scope are never served to another. */
export function scopeKey(scope: ReadScope): string {
  return scope.kind === "assigned" ? `assigned:${scope.userId}|` : scope.kind === "public" ? "public|" : "";
}
