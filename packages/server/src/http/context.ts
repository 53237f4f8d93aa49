import type { Db } from "../db/open.js";

/** What a command needs to know about who asked and how: never the HTTP request itself. */
export interface CommandContext {
  db: Db;
  /** The user name, or "anonymous", "system", "cli". */
  actor: string;
  actorId?: string | null;
  actorRole?: string | null;
  /** The client's address, for the audit trail. */
  address?: string | null;
  requestId: string | null;
}
