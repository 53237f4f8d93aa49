import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";
import { CARRIED, computeStatusSpans, MOVING_EVENTS } from "./as-of.js";

/**
 * Each matter's status as of any day, kept as spans (`matter_status_spans`: from a day on, this
 * status): a list, dashboard or portfolio as of a day reads one span per matter instead of
 * reading every matter's events. Triggers on `matters` and `events` recompute a matter's spans
 * in the transaction that changes its dated facts, whoever writes them (a command, an import, a
 * seed), so the spans can never lag behind the facts.
 *
 * The functions are built from the domain's rules (as-of.ts), so they are installed when the
 * database is opened rather than frozen in a migration: when the rules change, the next start
 * replaces them and recomputes every matter's spans, once (the hash of their text is kept in
 * `settings`).
 */

const dialect = new PgDialect();
const FN = "accord_refresh_status_spans";

function refreshBody(): string {
  const insert = dialect.sqlToQuery(computeStatusSpans(sql.raw("ids")));
  if (insert.params.length) throw new Error("The status spans' SQL must have no parameters");
  return insert.sql;
}

/** A statement-level trigger function that refreshes the matters of `select` (over transition tables). */
const triggerFunction = (name: string, select: string) => `
create or replace function ${name}() returns trigger language plpgsql as $fn$
begin
  perform ${FN}(array(${select}));
  return null;
end $fn$`;

const prefixed = (alias: string, columns: string) =>
  columns
    .split(", ")
    .map((c) => `${alias}.${c}`)
    .join(", ");

const moving = (rows: string) =>
  `select matter_id from ${rows} where matter_id is not null and kind in (${MOVING_EVENTS})`;

/**
 * The columns of a matter its spans are computed from: those its status as of a day is read from,
 * and those the spans carry (`CARRIED`).
 */
const MATTER_FACTS = [
  ...new Set(
    ["kind, status, opened_on, findings_on, agreement_on, entered_on, ended_on", CARRIED]
      .join(", ")
      .split(", "),
  ),
].join(", ");

/** Of the updated events (`n` new, `o` old) whose matter, kind or date changed: the matter of side `side`. */
const movedEvents = (side: "n" | "o") =>
  `select ${side}.matter_id from new_rows n join old_rows o on o.id = n.id
     where (n.matter_id, n.kind, n.date) is distinct from (o.matter_id, o.kind, o.date)
       and ${side}.matter_id is not null and ${side}.kind in (${MOVING_EVENTS})`;

const TRIGGERS: [table: string, op: "insert" | "update" | "delete", select: string][] = [
  ["matters", "insert", "select id from new_rows"],
  // Most updates of a matter (its title, a version bump, its search text) leave its dated facts and
  // the columns its spans carry as they were: only those that change one are recomputed.
  [
    "matters",
    "update",
    `select n.id from new_rows n join old_rows o on o.id = n.id
       where (${prefixed("n", MATTER_FACTS)}) is distinct from (${prefixed("o", MATTER_FACTS)})`,
  ],
  ["events", "insert", moving("new_rows")],
  // An event's edit matters when it changes its matter, kind or date (its title, sources… do not):
  // then the matters it left and joined, where it moves statuses.
  ["events", "update", `${movedEvents("n")} union ${movedEvents("o")}`],
  ["events", "delete", moving("old_rows")],
];

/** The statements that (re)create the functions and triggers, in order. */
export function statusSpansStatements(): string[] {
  const statements = [
    `create or replace function ${FN}(ids uuid[]) returns void language plpgsql as $fn$
begin
  if cardinality(ids) = 0 then return; end if;
  -- One writer at a time per matter (in id order): a second waits, then sees the first's facts.
  perform pg_advisory_xact_lock(20613, hashtext(id::text)) from (select distinct unnest(ids) as id order by 1) x;
  delete from matter_status_spans where matter_id = any(ids);
  ${refreshBody()};
end $fn$`,
  ];
  for (const [table, op, select] of TRIGGERS) {
    const name = `accord_status_spans_${table}_${op}`;
    const referencing =
      op === "insert"
        ? "new table as new_rows"
        : op === "delete"
          ? "old table as old_rows"
          : "old table as old_rows new table as new_rows";
    statements.push(
      triggerFunction(name, select),
      `drop trigger if exists ${name} on ${table}`,
      `create trigger ${name} after ${op} on ${table} referencing ${referencing} for each statement execute function ${name}()`,
    );
  }
  return statements;
}

/** What the installed functions depend on: their text. */
export const statusSpansHash = () =>
  createHash("sha256").update(statusSpansStatements().join(";\n")).digest("hex").slice(0, 16);

const SETTING = "status_spans_rules";

/**
 * Vacuums (and analyzes) the spans after many were rewritten (an import, a recomputation): the
 * dashboard as of a day reads a day's spans from `matter_status_spans_day_idx` alone, which works
 * only on pages the visibility map marks all-visible; elsewhere each span is read from the table
 * too. PostgreSQL's autovacuum would get there in time; PGlite has none. Edits of one matter
 * rewrite its few spans only (and only when a column they are computed from changes). Not in a
 * transaction: VACUUM cannot run in one.
 */
export async function vacuumStatusSpans(db: Pick<Db, "execute">): Promise<void> {
  await db.execute(sql`vacuum (analyze) matter_status_spans`);
}

/**
 * Installs the functions and triggers when their text differs from the installed one, and then
 * recomputes every matter's spans. Run after the migrations; several instances starting at once
 * take turns (an advisory lock), and the later ones find the work done.
 */
export async function installStatusSpans(db: Db): Promise<void> {
  const hash = statusSpansHash();
  const recomputed = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(20613, 0)`);
    const installed = await queryOne<{ value: string }>(
      tx,
      sql`select value from settings where key = ${SETTING}`,
    );
    if (installed?.value === hash) return false;
    for (const statement of statusSpansStatements()) await tx.execute(sql.raw(statement));
    // Every span is rewritten. Deleted, the old ones would stay in the day index beside the new
    // ones until a vacuum frees them, which does not pack the live entries (a day's scan would
    // read twice the pages), and a REINDEX just after may keep them still (another snapshot may
    // see them). Emptied at once instead: readers of the spans wait for the commit.
    await tx.execute(sql`truncate matter_status_spans`);
    await tx.execute(sql.raw(`select ${FN}(array(select id from matters))`));
    await tx.execute(
      sql`insert into settings (key, value) values (${SETTING}, ${JSON.stringify(hash)}::jsonb)
          on conflict (key) do update set value = excluded.value`,
    );
    return true;
  });
  if (recomputed) await vacuumStatusSpans(db);
}
