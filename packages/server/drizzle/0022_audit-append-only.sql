-- The audit log is append-only and tamper-evident (issue 16, item 11). Every entry carries its
-- place in one hash chain: the hash of the entry before it, and its own hash over that, its place
-- and all its fields. `accord audit verify` recomputes the chain and names the first broken link.
-- PGlite's only user is a superuser, so these triggers guard against the application's own bugs;
-- the chain (and backups kept elsewhere) is what shows tampering by someone who can disable them.

-- An entry's hash: every field quoted (NULL as NULL), separated by a unit separator, so that no
-- two different entries give the same text.
CREATE FUNCTION audit_entry_hash(prev text, seq bigint, e audit_entries) RETURNS text LANGUAGE sql STABLE AS $$
  select encode(sha256(convert_to(concat_ws(chr(31),
    quote_nullable(prev), quote_nullable(seq::text), quote_nullable(e.id::text),
    quote_nullable(to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
    quote_nullable(e.actor), quote_nullable(e.actor_id::text), quote_nullable(e.actor_role),
    quote_nullable(e.address), quote_nullable(e.action), quote_nullable(e.entity),
    quote_nullable(e.entity_id::text), quote_nullable(e.before::text), quote_nullable(e.after::text),
    quote_nullable(e.request_id)), 'UTF8')), 'hex')
$$;--> statement-breakpoint

-- The entries already written join the chain in the order they were written.
DO $$
declare
  r audit_entries;
  prev text := repeat('0', 64);
  seq bigint := 0;
  h text;
begin
  for r in select * from audit_entries order by id loop
    seq := seq + 1;
    h := audit_entry_hash(prev, seq, r);
    update audit_entries set chain_seq = seq, prev_hash = prev, hash = h where id = r.id;
    prev := h;
  end loop;
end $$;--> statement-breakpoint

-- A new entry extends the chain. One transaction at a time does (the lock is held until it ends),
-- so every entry links to the one committed before it; the unique index on chain_seq refuses a
-- fork should two ever try.
CREATE FUNCTION audit_entries_chain() RETURNS trigger LANGUAGE plpgsql AS $$
declare
  head record;
begin
  perform pg_advisory_xact_lock(727274001);
  select a.chain_seq, a.hash into head from audit_entries a
    where a.chain_seq is not null order by a.chain_seq desc limit 1;
  new.chain_seq := coalesce(head.chain_seq, 0) + 1;
  new.prev_hash := coalesce(head.hash, repeat('0', 64));
  new.hash := audit_entry_hash(new.prev_hash, new.chain_seq, new);
  return new;
end $$;--> statement-breakpoint

CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
begin
  raise exception 'The audit log is append-only: % of audit_entries is refused', TG_OP;
end $$;--> statement-breakpoint

CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_chain();--> statement-breakpoint
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();
