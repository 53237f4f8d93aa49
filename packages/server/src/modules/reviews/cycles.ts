import {
  type CopyCycleSchema,
  type CreateCycle,
  CreateCycleSchema,
  type Cycle,
  type CycleListItem,
  type UpdateCycle,
  UpdateCycleSchema,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { appError, notFound } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import type { Queryable, Tx } from "../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";
import { recordAudit } from "../audit/record-audit.js";

const COUNTS = sql.raw(`coalesce((select jsonb_object_agg(status, n) from
    (select r.status, count(*)::int as n from reviews r where r.cycle_id = c.id group by r.status) x), '{}'::jsonb)`);

const LIST_COLUMNS = sql`c.id, c.slug, c.name, c.mandate_url as "mandateUrl",
  (select json_build_object('id', d.id, 'title', d.title) from documents d where d.id = c.mandate_document_id) as "mandateDocument",
  c.scope, c.due_on as "dueOn", c.status,
  case when p.id is null then null else json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) end as "copiedFrom",
  ${isoTime("c.started_at")} as "startedAt", ${COUNTS} as counts, c.version,
  ${isoTime("c.created_at")} as "createdAt", ${isoTime("c.updated_at")} as "updatedAt"`;

const FROM = sql`from review_cycles c left join review_cycles p on p.id = c.copied_from_id`;

export async function listCycles(db: Queryable): Promise<CycleListItem[]> {
  return queryRows<CycleListItem>(db, sql`select ${LIST_COLUMNS} ${FROM} order by c.created_at desc, c.slug`);
}

export async function findCycle(db: Queryable, key: string, lock = false): Promise<Cycle | undefined> {
  const cond = isUuid(key) ? sql`c.id = ${key}` : sql`c.slug = ${key}`;
  return queryOne<Cycle>(
    db,
    sql`select ${LIST_COLUMNS}, c.mandate, c.rating_scale as "ratingScale",
          coalesce((select json_agg(json_build_object('id', k.id, 'code', k.code, 'title', k.title,
              'guidance', k.guidance, 'topics', k.topics, 'position', k.position) order by k.position)
            from review_criteria k where k.cycle_id = c.id), '[]'::json) as criteria
        ${FROM} where ${cond}${lock ? sql` for update of c` : sql``}`,
  );
}

export async function getCycle(db: Queryable, key: string, lock = false): Promise<Cycle> {
  const cycle = await findCycle(db, key, lock);
  if (!cycle) throw notFound("review cycle", key);
  return cycle;
}

async function assertSlugFree(tx: Tx, slug: string) {
  if (await queryOne(tx, sql`select 1 from review_cycles where slug = ${slug}`)) {
    throw appError("slug_taken", `A review cycle already has the slug "${slug}"`, {
      errors: [{ path: "slug", message: "Already in use" }],
    });
  }
}

async function assertDocument(tx: Tx, id: string | null | undefined) {
  if (id && !(await queryOne(tx, sql`select 1 from documents where id = ${id}`))) {
    throw appError("validation_failed", "No document has this id", {
      errors: [{ path: "mandateDocumentId", message: "No such document" }],
    });
  }
}

async function replaceCriteria(
  tx: Tx,
  cycleId: string,
  criteria: z.output<typeof CreateCycleSchema>["criteria"],
) {
  await tx.execute(sql`delete from review_criteria where cycle_id = ${cycleId}`);
  for (const [position, c] of criteria.entries()) {
    await tx.execute(
      sql`insert into review_criteria (cycle_id, code, title, guidance, topics, position)
          values (${cycleId}, ${c.code}, ${c.title}, ${c.guidance ?? null}, ${JSON.stringify(c.topics)}::jsonb, ${position})`,
    );
  }
}

export async function createCycle(
  input: CreateCycle,
  ctx: CommandContext,
  copiedFromId: string | null = null,
) {
  const data = CreateCycleSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, data.slug);
    await assertDocument(tx, data.mandateDocumentId);
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into review_cycles (slug, name, mandate, mandate_url, mandate_document_id, scope, due_on, rating_scale, copied_from_id)
          values (${data.slug}, ${data.name}, ${data.mandate ?? null}, ${data.mandateUrl ?? null}, ${data.mandateDocumentId ?? null},
            ${JSON.stringify(data.scope)}::jsonb, ${data.dueOn ?? null}, ${JSON.stringify(data.ratingScale)}::jsonb, ${copiedFromId})
          returning id`,
    );
    await replaceCriteria(tx, row!.id, data.criteria);
    const created = await getCycle(tx, row!.id);
    await recordAudit(tx, ctx, {
      action: copiedFromId ? "CYCLE_COPIED" : "CYCLE_CREATED",
      entity: "review_cycle",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

/** What may change once a cycle has started: its name, mandate and due date, not what is reviewed. */
const FIXED_AFTER_START = ["criteria", "ratingScale", "scope"] as const;

export async function updateCycle(
  key: string,
  expectedVersion: number,
  input: UpdateCycle,
  ctx: CommandContext,
) {
  const data = UpdateCycleSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getCycle(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("review cycle", before);
    const fixed = FIXED_AFTER_START.filter((f) => data[f] !== undefined);
    if (before.status !== "draft" && fixed.length) {
      throw appError(
        "cycle_started",
        `The cycle has started: its ${fixed.join(", ")} can no longer change (copy it to start the next one)`,
        { errors: fixed.map((f) => ({ path: f, message: "Fixed once the cycle has started" })) },
      );
    }
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, data.slug);
    await assertDocument(tx, data.mandateDocumentId);
    await tx.execute(
      sql`update review_cycles set
            slug = ${data.slug ?? before.slug},
            name = ${data.name ?? before.name},
            mandate = ${data.mandate === undefined ? before.mandate : data.mandate},
            mandate_url = ${data.mandateUrl === undefined ? before.mandateUrl : data.mandateUrl},
            mandate_document_id = ${data.mandateDocumentId === undefined ? (before.mandateDocument?.id ?? null) : data.mandateDocumentId},
            scope = ${JSON.stringify(data.scope ?? before.scope)}::jsonb,
            due_on = ${data.dueOn === undefined ? before.dueOn : data.dueOn},
            rating_scale = ${JSON.stringify(data.ratingScale ?? before.ratingScale)}::jsonb,
            version = version + 1, updated_at = now()
          where id = ${before.id}`,
    );
    if (data.criteria) await replaceCriteria(tx, before.id, data.criteria);
    const after = await getCycle(tx, before.id);
    await recordAudit(tx, ctx, {
      action: "CYCLE_UPDATED",
      entity: "review_cycle",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

/** Starts a cycle: one review per matter in its scope, none assigned yet. */
export async function startCycle(key: string, ctx: CommandContext): Promise<Cycle> {
  return ctx.db.transaction(async (tx) => {
    const cycle = await getCycle(tx, key, true);
    if (cycle.status !== "draft") {
      throw appError(
        "cycle_started",
        `The cycle is already ${cycle.status === "active" ? "under way" : "closed"}`,
      );
    }
    if (!cycle.criteria.length) {
      throw appError("validation_failed", "Give the cycle at least one criterion before starting it", {
        errors: [{ path: "criteria", message: "At least one criterion" }],
      });
    }
    const { kinds, statuses } = cycle.scope;
    const created = await queryRows<{ id: string }>(
      tx,
      sql`insert into reviews (cycle_id, matter_id)
          select ${cycle.id}, m.id from matters m
          where (${kinds.length === 0} or m.kind = any(${`{${kinds.join(",")}}`}::text[]))
            and (${statuses.length === 0} or m.status = any(${`{${statuses.join(",")}}`}::text[]))
          returning id`,
    );
    await tx.execute(
      sql`update review_cycles set status = 'active', started_at = now(), version = version + 1, updated_at = now()
          where id = ${cycle.id}`,
    );
    const after = await getCycle(tx, cycle.id);
    await recordAudit(tx, ctx, {
      action: "CYCLE_STARTED",
      entity: "review_cycle",
      entityId: cycle.id,
      before: { status: cycle.status },
      after: { status: after.status, reviews: created.length },
    });
    return after;
  });
}

/** A new cycle in preparation with this one's mandate, scope, scale and criteria. */
export async function copyCycle(key: string, input: z.output<typeof CopyCycleSchema>, ctx: CommandContext) {
  const source = await getCycle(ctx.db, key);
  return createCycle(
    {
      slug: input.slug,
      name: input.name,
      mandate: source.mandate,
      mandateUrl: source.mandateUrl,
      mandateDocumentId: source.mandateDocument?.id ?? null,
      scope: source.scope,
      dueOn: null,
      ratingScale: source.ratingScale,
      criteria: source.criteria.map((c) => ({
        code: c.code,
        title: c.title,
        guidance: c.guidance,
        topics: c.topics,
      })),
    },
    ctx,
    source.id,
  );
}
