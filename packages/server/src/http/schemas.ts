import { IdempotencyKeyHeaderSchema, ProblemSchema } from "@accord/domain";
import { z } from "zod";

export const KeyParamsSchema = z.strictObject({
  key: z.string().min(1).max(120).meta({ description: "The record's id (uuid) or its slug" }),
});

export const IfMatchHeadersSchema = z.object({
  "if-match": z.string().optional().meta({ description: 'The version you read, as its ETag: "3"' }),
});

/** An import's optional Idempotency-Key (modules/imports/run-import.ts). */
export const IdempotencyHeadersSchema = z.object({
  "idempotency-key": IdempotencyKeyHeaderSchema.optional(),
});

/** The problem+json answers every route may give. */
export const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, ProblemSchema])) as Record<number, typeof ProblemSchema>;
