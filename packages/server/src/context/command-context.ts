import type { Db, Queryable } from "../db/open.js";
import { ALL, type ReadScope } from "./read-scope.js";

/**
 * What every query needs: where to read, what the caller may read, and today. There is no
 * default scope anywhere: a query that is not told what the caller may read does not compile.
 */
export interface ReadContext {
  db: Queryable;
  /** What this caller may read of matters, events, documents and provisions. */
  scope: ReadScope;
  /** The application's clock (tests inject one). */
  now: () => Date;
}

/**
 * What a command needs to know about who asked and how, built once per request (or by the CLI
 * and jobs for themselves): never the HTTP request itself.
 */
export interface CommandContext extends ReadContext {
  db: Db;
  /** The user name, or "anonymous", "system", "cli". */
  actor: string;
  actorId: string | null;
  actorRole: string | null;
  /** The client's address, for the audit trail. */
  address: string | null;
  requestId: string | null;
}

/** The same caller, reading and writing through a transaction. */
export const withDb = <C extends ReadContext>(ctx: C, db: Queryable): C & { db: Queryable } => ({
  ...ctx,
  db,
});

/**
 * The context of Accord itself (the first start, the CLI, jobs): it may read everything, and says
 * so here rather than by a default.
 */
export function systemContext(
  db: Db,
  actor: "system" | "cli" | "test" | "bench" = "system",
  now: () => Date = () => new Date(),
): CommandContext {
  return {
    db,
    actor,
    actorId: null,
    actorRole: null,
    address: null,
    requestId: null,
    scope: ALL,
    now,
  };
}

/**
 * The same caller reading everything. Only for reads a command makes after the route's policy
 * allowed the write (the record it changes, its audit snapshot), never for what a caller is shown:
 * it is written out where it is used so that a reader sees the scope is widened on purpose.
 */
export const unscoped = <C extends ReadContext>(ctx: C): C => ({ ...ctx, scope: ALL });
