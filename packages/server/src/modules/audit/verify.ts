import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { queryOne } from "../../db/sql.js";

/** The first entry whose link in the audit log's hash chain is broken, and why. */
export interface BrokenLink {
  id: number;
  /** Its place in the chain (null: it never joined it). */
  chainSeq: number | null;
  reason: string;
}

/**
 * Recomputes the audit log's hash chain (migration 0022): every entry's hash over its fields and
 * the hash before it, in chain order. Returns the number of entries and the first broken link.
 */
export async function verifyAuditChain(
  ctx: ReadContext,
): Promise<{ entries: number; broken: BrokenLink | null }> {
  const count = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_entries`);
  const broken = await queryOne<BrokenLink>(
    ctx.db,
    sql`with c as (
          select a.id, a.chain_seq, a.prev_hash, a.hash,
            audit_entry_hash(a.prev_hash, a.chain_seq, a) as recomputed,
            lag(a.hash) over (order by a.chain_seq) as hash_before,
            lag(a.chain_seq) over (order by a.chain_seq) as seq_before
          from audit_entries a)
        select id::int as id, chain_seq::int as "chainSeq",
          case
            when chain_seq is null then 'it is not in the chain (written while the chain was off)'
            when chain_seq <> coalesce(seq_before, 0) + 1 then 'the entry before it is missing'
            when prev_hash is distinct from coalesce(hash_before, repeat('0', 64))
              then 'its link does not match the entry before it'
            when hash is distinct from recomputed then 'its fields do not match its hash (changed after it was written)'
          end as reason
        from c
        where chain_seq is null or chain_seq <> coalesce(seq_before, 0) + 1
          or prev_hash is distinct from coalesce(hash_before, repeat('0', 64))
          or hash is distinct from recomputed
        order by chain_seq nulls first
        limit 1`,
  );
  return { entries: count?.n ?? 0, broken: broken ?? null };
}
