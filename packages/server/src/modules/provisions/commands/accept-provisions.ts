import {
  type AcceptResult,
  classifyTopics,
  findDeadlines,
  matchProvisions,
  type ParsedProvision,
  type TopicSetting,
  type UnplacedDeadlineState,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { list, queryOne, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { refreshComplianceRollups } from "../../compliance/index.js";
import { topicContext } from "../provisions.presenter.js";
import { getMatterRef, getTopicSettings } from "../queries/matter-ref.js";
import { getParse, getParseRow } from "../queries/parses.js";

/** A provision row as accepting writes it. */
interface Values {
  id?: string;
  /** The paragraph number of a "¶ N" provision, else null. */
  number: number | null;
  label: string;
  position: number;
  depth: number;
  heading: boolean;
  caption: string | null;
  sections: unknown;
  path: string;
  text: string;
  page: number;
  page_end: number;
  is_definition: boolean;
  terms: unknown;
  topics: unknown;
  document_id: string;
}

/**
 * The row the parsed provision becomes, its topics classified in the vocabulary of the matter's
 * settings (the section titles speak too).
 */
const valuesOf = (p: ParsedProvision, documentId: string, settings: readonly TopicSetting[]): Values => ({
  number: /^¶ \d+$/.test(p.label) ? Number(p.label.slice(2)) : null,
  label: p.label,
  // The draft numbers its provisions in the document's order.
  position: p.number,
  depth: p.depth ?? 0,
  heading: p.heading ?? false,
  caption: p.caption ?? null,
  sections: p.sections,
  path: p.path,
  text: p.text,
  page: p.page,
  page_end: p.pageEnd,
  is_definition: p.isDefinition,
  terms: p.terms,
  topics: classifyTopics(p.text, topicContext(p.sections), settings),
  document_id: documentId,
});

const COLUMNS = sql.raw(`number int, label text, position int, depth int, heading boolean, caption text,
  sections jsonb, path text, text text, page int, page_end int, is_definition boolean, terms jsonb, topics jsonb,
  document_id uuid`);

type Stored = Omit<Values, "id"> & { id: string };

/** JSON with object keys in one order: jsonb gives them back in its own. */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
/** Whether a matched row holds anything the parse says otherwise (a row is only written when it does). */
const differs = (row: Stored, v: Values) =>
  (Object.keys(v) as (keyof Values)[]).some((k) => k !== "id" && !same(row[k], v[k]));

interface StoredDeadline {
  id: string;
  provisionId: string;
  label: string;
  phrase: string;
  offset: unknown;
  recurrence: unknown;
  anchor: { kind?: string } & Record<string, unknown>;
  anchorDate: string | null;
}

/** A recorded deadline state, in full (what the audit entry keeps of one that is removed). */
interface StoredState {
  id: string;
  deadlineId: string;
  dueOn: string;
  state: "open" | "met" | "waived";
  metOn: string | null;
  evidence: unknown;
  extendedTo: string | null;
  extendedBy: unknown;
  assigneeUserId: string | null;
  assigneeOffice: string | null;
  note: string | null;
  version: number;
}

async function statesOf(tx: Tx, deadlineIds: string[]): Promise<StoredState[]> {
  if (!deadlineIds.length) return [];
  return queryRows<StoredState>(
    tx,
    sql`select id, deadline_id as "deadlineId", due_on as "dueOn", state, met_on as "metOn", evidence,
        extended_to as "extendedTo", extended_by as "extendedBy", assignee_user_id as "assigneeUserId",
        assignee_office as "assigneeOffice", note, version
      from deadline_occurrence_states where deadline_id in (${list(deadlineIds)}) order by due_on, id`,
  );
}

const unplaced = (
  s: StoredState,
  d: StoredDeadline,
  reason: UnplacedDeadlineState["reason"],
): UnplacedDeadlineState => ({
  provision: { id: d.provisionId, label: d.label },
  phrase: d.phrase,
  dueOn: s.dueOn,
  state: s.state,
  extendedTo: s.extendedTo,
  assigned: s.assigneeUserId !== null || s.assigneeOffice !== null,
  reason,
});

interface DeadlineStatesOutcome {
  carried: number;
  unplaced: UnplacedDeadlineState[];
  /** The records removed with a deadline the new words no longer state, in full. */
  removed: StoredState[];
}

/**
 * Recomputes the deadlines of these provisions from their text, keeping a date a person gave.
 * A deadline the new text still states keeps its row, matched by its words (else by the same
 * offset, recurrence and anchor): what people recorded of its occurrences (met, waived, extended,
 * assigned) stays with it, and its calendar entries keep their UIDs. The records of a deadline
 * the text no longer states go with it, and are returned to be reported.
 */
async function rewriteDeadlines(
  tx: Tx,
  provisions: { id: string; text: string }[],
): Promise<DeadlineStatesOutcome> {
  const outcome: DeadlineStatesOutcome = { carried: 0, unplaced: [], removed: [] };
  if (!provisions.length) return outcome;
  const ids = provisions.map((p) => p.id);
  const old = await queryRows<StoredDeadline>(
    tx,
    sql`select d.id, d.provision_id as "provisionId", p.label, d.phrase, d."offset", d.recurrence, d.anchor,
        d.anchor_date as "anchorDate"
      from provision_deadlines d join provisions p on p.id = d.provision_id
      where d.provision_id in (${list(ids)}) order by d.provision_id, d.position, d.id`,
  );
  const taken = new Set<string>();
  const shape = (d: { offset: unknown; recurrence: unknown; anchor: unknown }) =>
    canonical([d.offset ?? null, d.recurrence ?? null, d.anchor]);
  const rows = provisions.flatMap((p) => {
    const found = findDeadlines(p.text);
    const mine = old.filter((o) => o.provisionId === p.id);
    // The same words first, for every new deadline, then the same shape for those left.
    const reuse = found.map((d) => {
      const same = mine.find((o) => !taken.has(o.id) && o.phrase === d.phrase);
      if (same) taken.add(same.id);
      return same;
    });
    return found.map((d, position) => {
      let kept = reuse[position];
      if (!kept) {
        kept = mine.find((o) => !taken.has(o.id) && shape(o) === shape(d));
        if (kept) taken.add(kept.id);
      }
      return {
        id: kept?.id ?? null,
        provision_id: p.id,
        phrase: d.phrase,
        offset: d.offset,
        recurrence: d.recurrence,
        anchor: d.anchor,
        anchor_date:
          d.anchor.kind === "other"
            ? (mine.find((g) => g.phrase === d.phrase && g.anchorDate)?.anchorDate ??
              (kept?.anchor.kind === "other" ? kept.anchorDate : null))
            : null,
        position,
      };
    });
  });
  const gone = old.filter((o) => !taken.has(o.id));
  const goneStates = await statesOf(
    tx,
    gone.map((g) => g.id),
  );
  const byId = new Map(old.map((o) => [o.id, o]));
  outcome.removed = goneStates;
  outcome.unplaced = goneStates.map((st) => unplaced(st, byId.get(st.deadlineId)!, "deadline_gone"));
  outcome.carried = (await statesOf(tx, [...taken])).length;
  if (gone.length)
    await tx.execute(sql`delete from provision_deadlines where id in (${list(gone.map((g) => g.id))})`);
  const kept = rows.filter((r) => r.id !== null);
  if (kept.length)
    await tx.execute(
      sql`update provision_deadlines d set phrase = v.phrase, "offset" = v."offset", recurrence = v.recurrence,
          anchor = v.anchor, anchor_date = v.anchor_date, position = v.position
        from jsonb_to_recordset(${JSON.stringify(kept)}::jsonb) as v(id uuid, phrase text, "offset" jsonb,
          recurrence jsonb, anchor jsonb, anchor_date text, position int)
        where d.id = v.id`,
    );
  const added = rows.filter((r) => r.id === null);
  if (added.length)
    await tx.execute(
      sql`insert into provision_deadlines (provision_id, phrase, "offset", recurrence, anchor, anchor_date, position)
        select v.provision_id, v.phrase, v."offset", v.recurrence, v.anchor, v.anchor_date, v.position
        from jsonb_to_recordset(${JSON.stringify(added)}::jsonb) as v(provision_id uuid, phrase text, "offset" jsonb,
          recurrence jsonb, anchor jsonb, anchor_date text, position int)`,
    );
  return outcome;
}

/**
 * The recorded states of the deadlines of retired provisions: they stay with the retired rows
 * (and return with them if their words come back), but leave the calendar, so they are reported.
 */
async function statesOfRetired(tx: Tx, provisionIds: string[]): Promise<UnplacedDeadlineState[]> {
  if (!provisionIds.length) return [];
  const deadlines = await queryRows<StoredDeadline>(
    tx,
    sql`select d.id, d.provision_id as "provisionId", p.label, d.phrase, d."offset", d.recurrence, d.anchor,
        d.anchor_date as "anchorDate"
      from provision_deadlines d join provisions p on p.id = d.provision_id
      where d.provision_id in (${list(provisionIds)})`,
  );
  const byId = new Map(deadlines.map((d) => [d.id, d]));
  const states = await statesOf(
    tx,
    deadlines.map((d) => d.id),
  );
  return states.map((st) => unplaced(st, byId.get(st.deadlineId)!, "provision_retired"));
}

export interface AcceptProvisionsOptions {
  /** The matter (id or slug). */
  key: string;
  parseId: string;
  /** The parse's version the caller read (If-Match). */
  version: number;
}

/**
 * Makes a draft parse the matter's provisions, in one transaction. Rows are matched, not
 * replaced (see matchProvisions), so ratings, topic corrections and deadline dates stay with
 * the words they were given for; provisions the parse no longer has are retired, never deleted.
 */
export async function acceptProvisions(
  { key, parseId, version: expectedVersion }: AcceptProvisionsOptions,
  ctx: CommandContext,
): Promise<AcceptResult> {
  return ctx.db.transaction(async (tx) => {
    // The route's policy allowed the write: the matter and the parse are read whatever the caller's scope.
    const read = unscoped(withDb(ctx, tx));
    const matter = await getMatterRef(read, key);
    // Two acceptances for one matter wait for each other: each matches against what the other wrote.
    await tx.execute(sql`select id from matters where id = ${matter.id} for update`);
    const parse = await getParseRow(read, parseId, true);
    if (parse.matterId !== matter.id)
      throw appError(
        "parse_of_another_matter",
        `This parse is of a document of ${parse.matter.title}, not of ${matter.title}`,
      );
    if (parse.version !== expectedVersion) throw versionConflict("parse", await getParse(read, parseId));
    if (parse.status !== "draft")
      throw appError(
        "parse_not_draft",
        `This parse is ${parse.status}${parse.acceptedAt ? ` (on ${parse.acceptedAt.slice(0, 10)})` : ""}: only a draft can be accepted`,
      );
    const parsed = parse.provisions as ParsedProvision[];
    if (!parsed.length)
      throw appError(
        "parse_empty",
        "This parse found no provision: accepting it would retire every provision of the matter",
      );
    const stored = await queryRows<Stored>(
      tx,
      sql`select id, number, label, position, depth, heading, caption, sections, path, text, page, page_end,
          is_definition, terms, topics, document_id
        from provisions where matter_id = ${matter.id} and retired_at is null order by position for update`,
    );
    const retiredRows = await queryRows<Stored>(
      tx,
      sql`select id, number, label, position, depth, heading, caption, sections, path, text, page, page_end,
          is_definition, terms, topics, document_id
        from provisions where matter_id = ${matter.id} and retired_at is not null
        order by retired_at desc, number for update`,
    );
    const byId = new Map([...stored, ...retiredRows].map((r) => [r.id, r]));
    const match = matchProvisions(stored, parsed, retiredRows);
    const documentId = parse.document.id;
    const settings = await getTopicSettings(tx, matter.id);

    if (match.retired.length)
      await tx.execute(
        sql`update provisions set retired_at = now(), version = version + 1, updated_at = now()
          where id in (${list(match.retired)})`,
      );
    // Numbers and labels are unique among current provisions at every row written: the moving
    // rows step aside (negative numbers, a label no parse gives) before any takes its new one.
    const moving = new Set(match.renumbered.map((r) => r.id));
    if (moving.size)
      await tx.execute(
        sql`update provisions set number = -number, label = 'moving ' || id where id in (${list([...moving])})`,
      );

    const updates: Values[] = [];
    const restored = new Set(match.restored.map((r) => r.id));
    for (const m of [...match.kept, ...match.renumbered, ...match.restored, ...match.changed]) {
      const v = { ...valuesOf(m.parsed, documentId, settings), id: m.id };
      const row = byId.get(m.id)!;
      if (differs(row, v) || moving.has(m.id) || restored.has(m.id)) updates.push(v);
    }
    // A restored row takes its number as it returns: no current row holds that number (kept and
    // changed rows hold their own, moving ones are aside).
    if (updates.length)
      await tx.execute(
        sql`update provisions p set number = v.number, label = v.label, position = v.position, depth = v.depth, heading = v.heading,
            caption = v.caption, sections = v.sections, path = v.path,
            text = v.text, page = v.page, page_end = v.page_end, is_definition = v.is_definition, terms = v.terms,
            topics = v.topics, document_id = v.document_id, retired_at = null, version = p.version + 1,
            updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, ${COLUMNS})
          where p.id = v.id`,
      );
    const inserted = match.added.length
      ? await queryRows<{ id: string; text: string }>(
          tx,
          sql`insert into provisions (matter_id, number, label, position, depth, heading, caption, sections, path, text,
              page, page_end, is_definition, terms, topics, document_id)
            select ${matter.id}, v.number, v.label, v.position, v.depth, v.heading, v.caption, v.sections, v.path, v.text, v.page, v.page_end, v.is_definition,
              v.terms, v.topics, v.document_id
            from jsonb_to_recordset(${JSON.stringify(match.added.map((p) => valuesOf(p, documentId, settings)))}::jsonb)
              as v(${COLUMNS})
            returning id, text`,
        )
      : [];
    // Each node points at its parent, by the label the parse gives it (a "¶ N" decree has none).
    await tx.execute(
      sql`update provisions c set parent_id = (select p.id from provisions p
            where p.matter_id = c.matter_id and p.retired_at is null and p.label = v.parent_label)
          from jsonb_to_recordset(${JSON.stringify(parsed.map((p) => ({ label: p.label, parent_label: p.parentLabel ?? null })))}::jsonb)
            as v(label text, parent_label text)
          where c.matter_id = ${matter.id} and c.retired_at is null and c.label = v.label
            and c.parent_id is distinct from (select p.id from provisions p
              where p.matter_id = c.matter_id and p.retired_at is null and p.label = v.parent_label)`,
    );
    // Deadlines follow the words: recomputed where the text is new, kept (with any date a person
    // gave) where it is not.
    const rewritten = await rewriteDeadlines(tx, [
      ...match.changed.map((m) => ({ id: m.id, text: m.parsed.text })),
      ...inserted,
    ]);
    const deadlineStates = {
      carried: rewritten.carried,
      unplaced: [...rewritten.unplaced, ...(await statesOfRetired(tx, match.retired))],
    };

    await tx.execute(
      sql`update decree_parses set status = 'accepted', accepted_at = now(), version = version + 1 where id = ${parseId}`,
    );
    const counts = {
      kept: match.kept.length,
      renumbered: match.renumbered.length,
      restored: match.restored.length,
      changed: match.changed.length,
      added: match.added.length,
      retired: match.retired.length,
    };
    const total = await queryOne<{ n: number }>(
      tx,
      sql`select count(*)::int as n from provisions where matter_id = ${matter.id} and retired_at is null`,
    );
    // Sections, topics and which provisions are in force may all have changed: recount the roll-ups.
    await refreshComplianceRollups(tx, matter.id);
    await recordAudit(tx, ctx, {
      action: "PROVISIONS_ACCEPTED",
      entity: "decree_parse",
      entityId: parseId,
      before: { status: parse.status, provisions: stored.length },
      after: {
        status: "accepted",
        matterId: matter.id,
        documentId,
        // The vocabulary the topics were classified in (from the matter's agencies).
        topicSettings: settings,
        counts,
        provisions: total?.n ?? 0,
        changed: match.changed.map((m) => m.parsed.number),
        renumbered: match.renumbered.map((m) => ({ from: byId.get(m.id)!.number, to: m.parsed.number })),
        restored: match.restored.map((m) => m.parsed.number),
        retired: match.retired.map((id) => byId.get(id)!.number),
        deadlineStates: { ...deadlineStates, removed: rewritten.removed },
      },
    });
    return {
      parseId,
      matter: { id: matter.id, slug: matter.slug, title: matter.title },
      counts,
      deadlineStates,
      total: total?.n ?? 0,
      version: parse.version + 1,
    };
  });
}
