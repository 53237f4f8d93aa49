import type { CopyCycleSchema, Cycle } from "@accord/domain";
import type { z } from "zod";
import type { CommandContext } from "../../../context/command-context.js";
import { getCycle } from "../queries/cycles.js";
import { createCycle } from "./create-cycle.js";

export type CopyCycleOptions = { key: string } & z.output<typeof CopyCycleSchema>;

/**
 * A new cycle in preparation with this one's mandate, scope, scale and criteria; not its as-of day
 * or due date: the next cycle reviews a later portfolio.
 */
export async function copyCycle({ key, slug, name }: CopyCycleOptions, ctx: CommandContext): Promise<Cycle> {
  const source = await getCycle(ctx, key);
  return createCycle(
    {
      cycle: {
        slug,
        name,
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
      copiedFromId: source.id,
    },
    ctx,
  );
}
