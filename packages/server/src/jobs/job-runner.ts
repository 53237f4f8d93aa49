import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import type { Db } from "../db/open.js";
import { queryOne, queryRows } from "../db/sql.js";
import {
  BlobStore,
  DEFAULT_LIMITS,
  type ExtractionLimits,
  type JobResult,
  keepSpares,
  runExtractionJob,
  stopSpareWorker,
} from "../modules/documents/index.js";
import {
  claimDeadlineSweep,
  dispatchNotifications,
  type MailConfig,
  queueDigests,
  sendPendingMail,
  sweepDeadlineNotifications,
} from "../modules/notifications/index.js";
import { STAGED_ABANDONED_MINUTES, sweepStagedSources } from "../modules/statistics/index.js";
import { DEFAULT_WEBHOOK_OPTIONS, runDeliveryJob, type WebhookOptions } from "../modules/webhooks/index.js";

/** A job tried this often (the process died during it each time) fails instead of running again. */
export const MAX_ATTEMPTS = 3;
/** A running job whose runner has not been heard of for this long is taken to be orphaned. */
const STALE_SECONDS = 60;
const HEARTBEAT_MS = 15_000;

export interface JobRunnerDeps {
  db: Db;
  /** The data directory: files are read from its blobs/ folder. */
  dataDir: string;
  limits?: Partial<ExtractionLimits> | undefined;
  /**
   * The embedded database belongs to this process alone: every job found running at start was
   * left by a process that died, and is queued again at once. On PostgreSQL other servers may be
   * running jobs; only those without a heartbeat for a minute are taken back.
   */
  soleOwner?: boolean;
  /** Idle runners look for new jobs this often (other servers may queue them). Default 5 s. */
  pollMs?: number;
  log?: (message: string) => void;
  /** E-mail of notifications (null or absent: none is sent). */
  mail?: MailConfig | null;
  /** Webhook delivery settings (default: public receivers only, 8 attempts from 30 s apart). */
  webhooks?: Partial<WebhookOptions>;
  /** The application's clock (the digest hour); default the system's. */
  now?: () => Date;
}

interface ClaimedJob {
  id: number;
  kind: string;
  documentId: string | null;
  payload: Record<string, unknown> | null;
  attempts: number;
}

/** A job's outcome: extraction's, or a delivery to try again later. */
type RunResult = JobResult | { status: "retry"; runAfter: Date };

const workerName = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Queues again the jobs whose runner died (all of them when this process owns the database). */
export async function requeueOrphanedJobs(db: Db, soleOwner: boolean): Promise<number> {
  const rows = await queryRows<{ documentId: string | null }>(
    db,
    sql`update jobs set status = 'queued', locked_at = null, locked_by = null, updated_at = now()
      where status = 'running'${soleOwner ? sql`` : sql` and locked_at < now() - make_interval(secs => ${STALE_SECONDS})`}
      returning document_id as "documentId"`,
  );
  const ids = rows.map((r) => r.documentId).filter((id): id is string => id !== null);
  if (ids.length)
    await db.execute(
      sql`update documents set status = 'queued' where status = 'extracting' and id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  return rows.length;
}

/** The kinds of job that tell people and systems of changes (not extraction). */
export const DELIVERY_JOB_KINDS = ["webhook", "email", "digest"] as const;

/** Takes the oldest queued job (of these kinds); concurrent runners (other servers) skip the one taken. */
async function claimJob(db: Db, name: string, kinds?: readonly string[]): Promise<ClaimedJob | undefined> {
  const ofKinds = kinds
    ? sql` and kind in (${sql.join(
        kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`
    : sql``;
  return queryOne<ClaimedJob>(
    db,
    sql`update jobs set status = 'running', locked_at = now(), locked_by = ${name},
        attempts = attempts + 1, updated_at = now()
      where id = (select id from jobs where status = 'queued' and run_after <= now()${ofKinds}
        order by id for update skip locked limit 1)
      returning id, kind, document_id as "documentId", payload, attempts`,
  );
}

async function runJob(
  job: ClaimedJob,
  deps: Required<Pick<JobRunnerDeps, "db">> & {
    store: BlobStore;
    limits: ExtractionLimits;
    signal?: AbortSignal;
    name: string;
    mail: MailConfig | null;
    webhooks: WebhookOptions;
    now: () => Date;
  },
): Promise<RunResult> {
  const { db } = deps;
  // Notifications' side effects: a failure here is the job's alone, never the change's.
  if (job.kind === "webhook")
    return runDeliveryJob(db, String(job.payload?.deliveryId), deps.webhooks, deps.now);
  if (job.kind === "email" || job.kind === "digest") {
    if (!deps.mail) return { status: "done" }; // e-mail was turned off since the job was queued
    await sendPendingMail(db, deps.mail, String(job.payload?.userId), { digest: job.kind === "digest" });
    return { status: "done" };
  }
  if (job.kind !== "extract" || !job.documentId)
    return { status: "failed", error: `Unknown job kind ${job.kind}` };
  if (job.attempts > MAX_ATTEMPTS) {
    const failure = `Extraction was interrupted ${MAX_ATTEMPTS} times (the server stopped while reading this file) and was given up`;
    await db.execute(
      sql`update documents set status = 'failed', failure = ${failure}, updated_at = now() where id = ${job.documentId}`,
    );
    return { status: "failed", error: failure };
  }
  const heartbeat = setInterval(() => {
    void db
      .execute(sql`update jobs set locked_at = now() where id = ${job.id} and locked_by = ${deps.name}`)
      .catch(() => {});
  }, HEARTBEAT_MS);
  try {
    return await runExtractionJob(job.documentId, {
      db,
      store: deps.store,
      limits: deps.limits,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  } finally {
    clearInterval(heartbeat);
  }
}

async function settleJob(db: Db, job: ClaimedJob, result: RunResult) {
  if (result.status === "retry") {
    await db.execute(sql`update jobs set status = 'queued', run_after = ${result.runAfter.toISOString()}::timestamptz,
      locked_at = null, locked_by = null, updated_at = now() where id = ${job.id}`);
    return;
  }
  if (result.status === "requeue") {
    await db.execute(sql`update jobs set status = 'queued', attempts = greatest(attempts - 1, 0), locked_at = null,
      locked_by = null, updated_at = now() where id = ${job.id}`);
    return;
  }
  await db.execute(sql`update jobs set status = ${result.status}, error = ${result.error ?? null}, locked_at = null,
    updated_at = now() where id = ${job.id}`);
}

/**
 * Produces the notifications, e-mail and webhook deliveries of the changes committed since the
 * last call (the deadlines' ones, hourly, and today's digests), then runs queued jobs one after
 * another until none is ready; resolves with how many jobs ran. Tests call this to wait for
 * extraction and deliveries deterministically.
 */
export async function runPendingJobs(
  deps: JobRunnerDeps & {
    signal?: AbortSignal;
    /** Only jobs of these kinds (default: all). */
    kinds?: readonly string[];
    /** Whether to produce notifications from the audit log first (default: yes). */
    dispatch?: boolean;
  },
): Promise<number> {
  const name = workerName();
  const store = new BlobStore(deps.dataDir);
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const mail = deps.mail ?? null;
  const webhooks = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.webhooks };
  const now = deps.now ?? (() => new Date());
  let ran = 0;
  for (;;) {
    if (deps.signal?.aborted) return ran;
    if (deps.dispatch !== false)
      try {
        await dispatchNotifications(deps.db, { mailEnabled: mail !== null, now });
        // Deadlines approaching or missed: no change tells of them, so a sweep does, hourly.
        if (await claimDeadlineSweep(deps.db, now())) {
          await sweepDeadlineNotifications(deps.db, { mailEnabled: mail !== null, now });
          // And, as rarely, the statistics imports that died before publishing what they staged.
          await sweepStagedSources(deps.db, STAGED_ABANDONED_MINUTES);
        }
        if (mail) await queueDigests(deps.db, mail, now());
      } catch (e) {
        // Extraction goes on; the cursor has not moved, so the same entries are tried next time.
        deps.log?.(`Notifications could not be produced: ${(e as Error).message}`);
      }
    const job = await claimJob(deps.db, name, deps.kinds);
    if (!job) return ran;
    let result: RunResult;
    try {
      result = await runJob(job, {
        db: deps.db,
        store,
        limits,
        name,
        mail,
        webhooks,
        now,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } catch (e) {
      // A job's own error (the database went away mid-job…) ends this job, never the runner.
      deps.log?.(`Job ${job.id} failed: ${(e as Error).message}`);
      result = { status: "failed", error: String((e as Error).message).slice(0, 500) };
    }
    await settleJob(deps.db, job, result);
    ran++;
  }
}

export interface JobRunner {
  /** Looks for work now (after an upload) instead of at the next poll. */
  wake(): void;
  /** Stops taking jobs, stops the extraction under way (its job is queued again) and waits for it. */
  stop(): Promise<void>;
}

/**
 * The background runner of the server process: queues again what a dead process left running,
 * then runs jobs as they come, one at a time, woken by uploads and polling for other servers'.
 * Notifications and their deliveries have a lane of their own, so that a long extraction (a
 * large PDF read for minutes) never holds back an inbox, an e-mail or a webhook.
 */
export function startJobRunner(deps: JobRunnerDeps): JobRunner {
  const controller = new AbortController();
  let wakeUp: (() => void) | null = null;
  let wakeNotify: (() => void) | null = null;
  let pending = true;
  const sleep = (ms: number, lane: "extract" | "notify" = "extract") =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        if (lane === "extract") wakeUp = null;
        else wakeNotify = null;
        resolve();
      }
      if (lane === "extract") wakeUp = done;
      else wakeNotify = done;
    });
  const notifications = (async () => {
    while (!controller.signal.aborted) {
      try {
        await runPendingJobs({ ...deps, signal: controller.signal, kinds: DELIVERY_JOB_KINDS });
      } catch (e) {
        if (controller.signal.aborted) break;
        deps.log?.(`The notification runner hit an error and carries on: ${(e as Error).message}`);
      }
      if (controller.signal.aborted) break;
      await sleep(Math.min(deps.pollMs ?? 5000, 2000), "notify");
    }
  })();
  const loop = (async () => {
    try {
      const requeued = await requeueOrphanedJobs(deps.db, deps.soleOwner ?? false);
      if (requeued) deps.log?.(`Resuming ${requeued} unfinished extraction job(s)`);
    } catch (e) {
      deps.log?.(`Could not requeue unfinished jobs: ${(e as Error).message}`);
    }
    while (!controller.signal.aborted) {
      pending = false;
      try {
        if (!deps.soleOwner) await requeueOrphanedJobs(deps.db, false);
        await runPendingJobs({ ...deps, signal: controller.signal, kinds: ["extract"], dispatch: false });
        // The queue is empty: one warm worker waits for the next upload (until its idle limit),
        // not the two a PDF read in halves takes.
        keepSpares(1);
      } catch (e) {
        if (controller.signal.aborted) break;
        deps.log?.(`The job runner hit an error and carries on: ${(e as Error).message}`);
      }
      if (controller.signal.aborted || pending) continue;
      await sleep(deps.pollMs ?? 5000);
    }
  })();
  return {
    wake() {
      pending = true;
      wakeUp?.();
    },
    async stop() {
      controller.abort();
      wakeUp?.();
      wakeNotify?.();
      await Promise.all([loop, notifications]);
      await stopSpareWorker();
    },
  };
}
