import { sql } from "drizzle-orm";
import type { Queryable } from "./open.js";
import { queryOne } from "./sql.js";

/** Marks that the data changed; call inside the write's transaction. */
export async function bumpDataVersion(tx: Queryable) {
  await tx.execute(
    sql`insert into data_version (id, version) values (1, 1)
        on conflict (id) do update set version = data_version.version + 1`,
  );
}

export async function readDataVersion(db: Queryable): Promise<number> {
  const row = await queryOne<{ version: string | number }>(
    db,
    sql`select version from data_version where id = 1`,
  );
  return Number(row?.version ?? 0);
}
