import type { CreateCycleSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { appError } from "../../../context/app-error.js";
import type { Tx } from "../../../db/open.js";
import { queryOne } from "../../../db/sql.js";

/*
 * What creating and updating a cycle share: its slug is its own, its mandate document exists,
 * and its criteria are written in the order given.
 */

export async function assertSlugFree(tx: Tx, slug: string) {
  if (await queryOne(tx, sql`select 1 from review_cycles where slug = ${slug}`)) {
    throw appError("slug_taken", `A review cycle already has the slug "${slug}"`, {
      errors: [{ path: "slug", message: "Already in use" }],
    });
  }
}

export async function assertDocument(tx: Tx, id: string | null | undefined) {
  if (id && !(await queryOne(tx, sql`select 1 from documents where id = ${id}`))) {
    throw appError("validation_failed", "No document has this id", {
      errors: [{ path: "mandateDocumentId", message: "No such document" }],
    });
  }
}

export async function replaceCriteria(
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
