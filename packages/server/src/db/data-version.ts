import { sql } from "drizzle-orm";
import type { Queryable } from "./open.js";
import { kept, queryOne } from "./sql.js";

/** Transactions that changed data, so that the embedded database can count commits in memory. */
export const changingTransactions = new WeakSet<object>();

/** Marks that the data changed; call inside the write's transaction. */
export async function bumpDataVersion(tx: Queryable) {
  changingTransactions.add(tx);
  await tx.execute(
    sql`insert into data_version (id, version) values (1, 1)
        on conflict (id) do update set version = data_version.version + 1`,
  );
}

export async function readDataVersion(db: Queryable): Promise<number> {
  const row = await queryOne<{ version: string | number }>(
    db,
    kept(sql`select version from data_version where id = 1`),
  );
  return Number(row?.version ?? 0);
}
