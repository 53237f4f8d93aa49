import type { Db } from "../db/open.js";

/** What a command needs to know about who asked and how: never the HTTP request itself. */
export interface CommandContext {
  db: Db;
  actor: string;
  requestId: string | null;
}
