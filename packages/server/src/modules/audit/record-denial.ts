import type { FastifyRequest } from "fastify";
import type { AppError } from "../../context/app-error.js";
import type { Db } from "../../db/open.js";
import { recordAudit } from "./record-audit.js";

/** Identical refusals within this window make one entry (the next one counts those left out). */
export const DENIAL_WINDOW_MS = 60_000;
/** Callers remembered at most; the oldest are forgotten first. */
const MAX_KEYS = 10_000;

/**
 * Records refusals by policy (403) in the audit log (check L4), one entry per refused request,
 * in a transaction of its own (the refused request changed nothing). Identical refusals (same
 * caller, method, route and reason) within a minute are counted instead of recorded, so a client
 * retrying in a loop cannot flood the log: the next entry after the window says how many were
 * left out (`repeated`). A failure to record is logged, never turned into a 500.
 */
export class DenialLog {
  private readonly recent = new Map<string, { untilMs: number; suppressed: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  async record(req: FastifyRequest, error: AppError) {
    const route = req.routeOptions.url ?? req.url.split("?")[0] ?? "";
    const who = req.user?.id ?? `address:${req.ip}`;
    const key = `${who} ${req.method} ${route} ${error.code}`;
    const now = this.clock().getTime();
    const seen = this.recent.get(key);
    if (seen && now < seen.untilMs) {
      seen.suppressed++;
      return;
    }
    this.recent.delete(key);
    if (this.recent.size >= MAX_KEYS) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    this.recent.set(key, { untilMs: now + DENIAL_WINDOW_MS, suppressed: 0 });
    try {
      await this.db.transaction((tx) =>
        recordAudit(
          tx,
          {
            actor: req.user?.username ?? "anonymous",
            actorId: req.user?.id ?? null,
            actorRole: req.user?.role ?? null,
            address: req.ip,
            requestId: req.id,
          },
          {
            action: "ACCESS_DENIED",
            entity: "user",
            entityId: req.user?.id ?? null,
            after: {
              method: req.method,
              route,
              code: error.code,
              ...(seen?.suppressed ? { repeated: seen.suppressed } : {}),
            },
          },
        ),
      );
    } catch (e) {
      req.log.error({ err: e }, "could not record a refusal in the audit log");
    }
  }
}
