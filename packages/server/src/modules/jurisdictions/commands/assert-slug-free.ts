import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { Queryable } from "../../../db/open.js";
import { queryRows } from "../../../db/sql.js";

/** Refuses a slug another jurisdiction has (409 slug_taken, on the field). */
export async function assertSlugFree(tx: Queryable, slug: string) {
  const rows = await queryRows(tx, sql`select 1 from jurisdictions where slug = ${slug}`);
  if (rows.length > 0) {
    throw appError("slug_taken", `A jurisdiction already has the slug "${slug}"`, {
      errors: [{ path: "slug", message: "Already in use" }],
    });
  }
}
