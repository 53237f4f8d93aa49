import {
  type AcceptResult,
  classifyTopics,
  findDeadlines,
  matchProvisions,
  type ParsedProvision,
  type TopicSetting,
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

/** Replaces the deadlines of these provisions by those their text states, keeping a date a person gave. */
async function rewriteDeadlines(tx: Tx, provisions: { id: string; text: string }[]) {
  if (!provisions.length) return;
  const ids = provisions.map((p) => p.id);
  const given = await queryRows<{ provisionId: string; phrase: string; anchorDate: string }>(
    tx,
    sql`select provision_id as "provisionId", phrase, anchor_date as "anchorDate" from provision_deadlines
      where provision_id in (${list(ids)}) and anchor_date is not null`,
  );
  await tx.execute(sql`delete from provision_deadlines where provision_id in (${list(ids)})`);
  const rows = provisions.flatMap((p) =>
    findDeadlines(p.text).map((d, position) => ({
      provision_id: p.id,
      phrase: d.phrase,
      offset: d.offset,
      recurrence: d.recurrence,
      anchor: d.anchor,
      anchor_date:
        d.anchor.kind === "other"
          ? (given.find((g) => g.provisionId === p.id && g.phrase === d.phrase)?.anchorDate ?? null)
          : null,
      position,
    })),
  );
  if (!rows.length) return;
  await tx.execute(
    sql`insert into provision_deadlines (provision_id, phrase, "offset", recurrence, anchor, anchor_date, position)
      select v.provision_id, v.phrase, v."offset", v.recurrence, v.anchor, v.anchor_date, v.position
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(provision_id uuid, phrase text, "offset" jsonb,
        recurrence jsonb, anchor jsonb, anchor_date text, position int)`,
  );
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
    await rewriteDeadlines(tx, [
      ...match.changed.map((m) => ({ id: m.id, text: m.parsed.text })),
      ...inserted,
    ]);

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
      },
    });
    return {
      parseId,
      matter: { id: matter.id, slug: matter.slug, title: matter.title },
      counts,
      total: total?.n ?? 0,
      version: parse.version + 1,
    };
  });
}
