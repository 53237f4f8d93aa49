import { AUDIT_ACTIONS } from "@accord/domain";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import type { TestApp } from "./helpers.js";

/**
 * RELIABILITY-CHECKS L1, shared by the audit-coverage*.test.ts files: which file calls each
 * mutating route, and the checks of a call's audit entry (or of a refusal's lack of one).
 *
 * Every mutating route of the app (POST, PUT, PATCH, DELETE under /api/v1) is in exactly one
 * area below, and each area's file calls each of its routes successfully; audit-coverage.test.ts
 * refuses every one of them with a 4xx (and a 403 where a role lacks it), read from the app.
 * audit-coverage.test.ts reads the inventory from the app and fails on a route in no area, so a
 * new mutation cannot be added without a call here.
 */
export const L1_AREAS = {
  /** audit-coverage.test.ts */
  registry: [
    "POST /api/v1/jurisdictions",
    "PATCH /api/v1/jurisdictions/:key",
    "DELETE /api/v1/jurisdictions/:key",
    "POST /api/v1/agencies",
    "PATCH /api/v1/agencies/:key",
    "DELETE /api/v1/agencies/:key",
    "POST /api/v1/matters",
    "PATCH /api/v1/matters/:key",
    "DELETE /api/v1/matters/:key",
    "POST /api/v1/matters/:key/related",
    "DELETE /api/v1/matters/:key/related/:relatedKey",
    "POST /api/v1/events",
    "PATCH /api/v1/events/:key",
    "DELETE /api/v1/events/:key",
    "POST /api/v1/users",
    "PATCH /api/v1/users/:key",
    "POST /api/v1/users/:key/reset-password",
    "POST /api/v1/tokens",
    "DELETE /api/v1/tokens/:id",
    "PUT /api/v1/matters/:key/assignments/:user",
    "DELETE /api/v1/matters/:key/assignments/:user",
    "POST /api/v1/matters/:key/periods",
    "PATCH /api/v1/periods/:id",
    "DELETE /api/v1/periods/:id",
    "PUT /api/v1/provisions/:id/ratings/:periodId/:rater",
    "DELETE /api/v1/provisions/:id/ratings/:periodId/:rater",
    "POST /api/v1/review-cycles",
    "PATCH /api/v1/review-cycles/:key",
    "POST /api/v1/review-cycles/:key/start",
    "POST /api/v1/saved-searches",
    "PATCH /api/v1/saved-searches/:id",
    "DELETE /api/v1/saved-searches/:id",
    "POST /api/v1/calendar-feeds",
    "DELETE /api/v1/calendar-feeds/:id",
    "POST /api/v1/watches",
    "DELETE /api/v1/watches/:id",
    "POST /api/v1/notifications/read-all",
    "PUT /api/v1/notifications/preferences",
    "POST /api/v1/since-last-visit/seen",
  ],
  /** audit-coverage-decrees.test.ts */
  decrees: [
    "POST /api/v1/matters/:key/documents",
    "PATCH /api/v1/documents/:id",
    "DELETE /api/v1/documents/:id",
    "POST /api/v1/documents/:id/parse",
    "PATCH /api/v1/parses/:id",
    "POST /api/v1/matters/:key/provisions/accept",
    "PUT /api/v1/provisions/:id/topics",
    "DELETE /api/v1/provisions/:id/topics",
    "PUT /api/v1/deadlines/:id/anchor-date",
    "POST /api/v1/deadlines/:id/met",
    "POST /api/v1/deadlines/:id/waive",
    "POST /api/v1/deadlines/:id/extend",
    "POST /api/v1/deadlines/:id/assign",
    "POST /api/v1/deadlines/:id/reopen",
    "PUT /api/v1/matters/:key/compliance-scale",
    "PUT /api/v1/matters/:key/assessments",
    "POST /api/v1/matters/:key/assessments/import",
    "POST /api/v1/documents/:id/rating-drafts",
    "PATCH /api/v1/rating-drafts/:id",
    "POST /api/v1/rating-drafts/:id/accept",
    "PUT /api/v1/provisions/:id/sustainment-start",
    "PUT /api/v1/matters/:key/sections/:number/termination",
  ],
  /** audit-coverage-people.test.ts */
  people: [
    "POST /api/v1/session",
    "DELETE /api/v1/session",
    "POST /api/v1/session/password",
    "POST /api/v1/session/totp",
    "POST /api/v1/session/totp/confirm",
    "POST /api/v1/session/totp/remove",
    "POST /api/v1/grants",
    "PATCH /api/v1/grants/:key",
    "POST /api/v1/conditions",
    "POST /api/v1/conditions/:key/status",
    "POST /api/v1/statistics/import",
    "POST /api/v1/notifications/:id/read",
    "POST /api/v1/webhooks",
    "DELETE /api/v1/webhooks/:id",
    "POST /api/v1/webhook-deliveries/:id/redeliver",
    "POST /api/v1/assignments",
    "POST /api/v1/review-cycles/:key/copy",
    "POST /api/v1/reviews/assign",
    "PATCH /api/v1/reviews/:id",
    "POST /api/v1/reviews/:id/submit",
    "POST /api/v1/reviews/:id/approve",
    "POST /api/v1/reviews/:id/return",
    "POST /api/v1/reviews/:id/reopen",
  ],
} as const;

/**
 * Mutations that write no audit entry, each with its reason. They change only the caller's own
 * reading state, never a record another person reads, a permission or a credential: what they
 * follow (watches), which of their notifications they have read, their "since last visit" mark,
 * how they are told (notification preferences). The audit log answers "who changed the
 * record, or who may do what". GitLab's audit event types (docs.gitlab.com, "Audit event types")
 * are about projects, groups, members, settings and credentials; none found there is about a
 * user's notification settings, to-do items or starred projects. Their effects on others are
 * nil: a watch tells only its owner.
 * (Calendar feeds and saved searches are audited: a feed is a credential that reads the calendar
 * without signing in, and what it serves can be a saved search's.)
 * Starting a second factor's enrolment is listed too: it changes nothing in force until confirmed.
 * The calls still go through the test, which holds each to writing nothing.
 */
export const NOT_AUDITED: Record<string, string> = {
  "POST /api/v1/watches": "the caller's own following of a record: only they are told",
  "DELETE /api/v1/watches/:id": "the caller's own following of a record: only they are told",
  "POST /api/v1/notifications/:id/read": "the caller's own reading of their own notification",
  "POST /api/v1/notifications/read-all": "the caller's own reading of their own notifications",
  "PUT /api/v1/notifications/preferences": "how the caller is told, about nobody else",
  "POST /api/v1/since-last-visit/seen": "the caller's own 'since last visit' mark",
  "POST /api/v1/session/totp":
    "starts the caller's enrolment: a secret not in force until confirmed, which is audited (SECOND_FACTOR_ENROLLED)",
};

export const allAreaRoutes = (): string[] => Object.values(L1_AREAS).flat();

export interface AuditRow {
  id: number;
  actor: string;
  actorId: string | null;
  actorRole: string | null;
  address: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  atType: string;
  atUtc: string;
}

/** What an entry keeps of its record: a creation its result, a deletion what was deleted… */
export type Diff =
  /** No before; an after. */
  | "created"
  /** Both, differing (in the fields named, when given). */
  | { updated: string[] }
  /** A before; no after. */
  | "deleted"
  /**
   * An event that changes no stored record's fields the log may show (a sign-in, a sign-out, a
   * password set or reset: no secret is logged, and no snapshot either); its reason is said where
   * it is used.
   */
  | { event: string };

export interface Caller {
  /** The Bearer token or cookie headers to send; the test administrator's when absent. */
  headers?: Record<string, string>;
  actor: string;
  role: string;
  /** Send without the test administrator's token (a session cookie, or nothing). */
  anonymous?: boolean;
}

export const ADMIN: Caller = { actor: "tester", role: "admin" };

const ADDRESS = "203.0.113.7";

/** The L1 checks over one test app: `audited` and `refused` calls, and what was called. */
export function auditChecks(t: TestApp) {
  const lastId = async () =>
    (await queryOne<{ id: number }>(
      t.database.db,
      sql`select coalesce(max(id), 0)::int as id from audit_entries`,
    ))!.id;
  const rowsAfter = (id: number) =>
    queryRows<AuditRow>(
      t.database.db,
      sql`select id::int, actor, actor_id as "actorId", actor_role as "actorRole", address, action, entity,
            entity_id as "entityId", before, after, request_id as "requestId", pg_typeof(at)::text as "atType",
            to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as "atUtc"
          from audit_entries where id > ${id} order by id`,
    );

  /** Routes called successfully, and routes refused with a 4xx. */
  const called = new Set<string>();
  const refusedRoutes = new Set<string>();

  const send = (
    route: string,
    url: string,
    payload: unknown,
    headers: Record<string, string>,
    as: Caller,
  ) => {
    const [method] = route.split(" ") as [string];
    const inject = as.anonymous ? t.anonymous : t.app.inject;
    const isRaw = typeof payload === "string" || payload instanceof FormData || Buffer.isBuffer(payload);
    return inject({
      method: method as "POST",
      url,
      headers: { ...as.headers, ...headers },
      remoteAddress: ADDRESS,
      ...(payload === undefined
        ? {}
        : payload instanceof FormData
          ? { body: payload }
          : isRaw
            ? { payload: payload as string }
            : { payload: payload as object }),
    } as never) as unknown as Promise<import("fastify").LightMyRequestResponse>;
  };

  /**
   * Sends a mutation; it must succeed and write exactly one full entry whose before/after fit
   * the operation (`diff`).
   */
  async function audited(
    route: string,
    url: string,
    {
      payload,
      headers = {},
      as = ADMIN,
      diff,
      action,
    }: {
      payload?: unknown;
      headers?: Record<string, string>;
      as?: Caller;
      diff: Diff;
      /** The action it must record, when the test says. */
      action?: string;
    },
  ) {
    expect(allAreaRoutes(), `${route} is in an L1 area`).toContain(route);
    const before = await lastId();
    const started = new Date(Date.now() - 1000).toISOString().slice(0, 19);
    const res = await send(route, url, payload, headers, as);
    expect(res.statusCode, `${route} ${url}: ${res.body}`).toBeLessThan(300);
    const rows = await rowsAfter(before);
    expect(
      rows.map((r) => r.action),
      `${route}: one audit entry`,
    ).toHaveLength(1);
    const entry = rows[0]!;
    expect(entry, route).toMatchObject({
      actor: as.actor,
      actorRole: as.role,
      address: ADDRESS,
      requestId: res.headers["x-request-id"],
      atType: "timestamp with time zone",
    });
    if (action) expect(entry.action, route).toBe(action);
    expect(entry.actorId, route).toMatch(/^[0-9a-f-]{36}$/);
    expect(AUDIT_ACTIONS, route).toContain(entry.action);
    expect(entry.entity, route).toBeTruthy();
    expect(entry.entityId, `${route}: the record's id`).toMatch(/^[0-9a-f-]{36}$/);
    // Its time is this request's, in UTC.
    expect(entry.atUtc >= started, `${route} at ${entry.atUtc}`).toBe(true);
    expect(entry.atUtc <= new Date(Date.now() + 1000).toISOString().slice(0, 19)).toBe(true);
    expectDiff(route, entry, diff);
    called.add(route);
    const body = res.body && res.headers["content-type"]?.toString().includes("json") ? res.json() : {};
    return {
      body: body as Record<string, unknown> & { id: string; version: number },
      etag: (res.headers.etag as string) ?? "",
      entry,
      res,
    };
  }

  /** Sends a mutation of NOT_AUDITED: it succeeds and writes no entry. */
  async function unaudited(
    route: string,
    url: string,
    {
      payload,
      headers = {},
      as = ADMIN,
    }: { payload?: unknown; headers?: Record<string, string>; as?: Caller } = {},
  ) {
    expect(Object.keys(NOT_AUDITED), route).toContain(route);
    const before = await lastId();
    const res = await send(route, url, payload, headers, as);
    expect(res.statusCode, `${route} ${url}: ${res.body}`).toBeLessThan(300);
    expect(await rowsAfter(before), route).toEqual([]);
    called.add(route);
    return (res.body ? res.json() : {}) as Record<string, unknown> & { id: string };
  }

  /**
   * Sends a mutation that must be refused with `status`: it writes no change entry; a 403 writes
   * only its denial (L4), with the request id.
   */
  async function refused(
    route: string,
    url: string,
    status: number,
    {
      payload,
      headers = {},
      as = ADMIN,
    }: { payload?: unknown; headers?: Record<string, string>; as?: Caller } = {},
  ) {
    const before = await lastId();
    const res = await send(route, url, payload, headers, as);
    expect(res.statusCode, `${route} ${url}: ${res.body}`).toBe(status);
    const rows = await rowsAfter(before);
    if (status === 403) {
      expect(
        rows.map((r) => [r.action, r.requestId]),
        `${route}: only the denial`,
      ).toEqual([["ACCESS_DENIED", res.headers["x-request-id"]]]);
      expect(rows[0]).toMatchObject({ actor: as.actor, actorRole: as.role });
    } else {
      expect(
        rows.map((r) => r.action),
        `${route} → ${status}: no entry`,
      ).toEqual([]);
    }
    refusedRoutes.add(route);
    return res;
  }

  /**
   * Each route of the area was called successfully here (audit-coverage.test.ts refuses every
   * route of every area with a 4xx, read from the app).
   */
  function expectAreaCovered(area: keyof typeof L1_AREAS) {
    const routes: readonly string[] = L1_AREAS[area];
    expect(
      routes.filter((r) => !called.has(r)),
      `${area}: routes not called successfully`,
    ).toEqual([]);
    expect(
      [...called].filter((r) => !routes.includes(r)),
      `${area}: called, but in another area`,
    ).toEqual([]);
  }

  return { audited, unaudited, refused, called, refusedRoutes, expectAreaCovered, lastId, rowsAfter };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function expectDiff(route: string, entry: AuditRow, diff: Diff) {
  const { before, after } = entry;
  if (diff === "created") {
    expect(before, `${route}: a creation has no before`).toBeNull();
    expect(after, `${route}: a creation keeps what was created`).not.toBeNull();
  } else if (diff === "deleted") {
    expect(before, `${route}: a deletion keeps what was deleted`).not.toBeNull();
    expect(after, `${route}: a deletion has no after`).toBeNull();
  } else if ("updated" in diff) {
    expect(before, `${route}: an update keeps what was`).not.toBeNull();
    expect(after, `${route}: an update keeps what became`).not.toBeNull();
    expect(after, `${route}: before and after differ`).not.toEqual(before);
    for (const field of diff.updated) {
      expect(isRecord(before) && isRecord(after), `${route}: snapshots are objects`).toBe(true);
      const b = (before as Record<string, unknown>)[field];
      const a = (after as Record<string, unknown>)[field];
      expect(a, `${route}: ${field} after`).not.toBeUndefined();
      expect(a, `${route}: ${field} changed`).not.toEqual(b);
    }
  } else {
    expect(diff.event, `${route}: why it keeps no snapshot`).toBeTruthy();
    expect(before, `${route}: no before`).toBeNull();
  }
}
