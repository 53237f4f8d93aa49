import { z } from "zod";

/** Where facts come from: sources, values a rule set, and sources that disagree. */

/** Only web addresses may be links: a `javascript:` or `data:` address is refused. */
export const HttpUrlSchema = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s<>"]+$/i, "Use an http or https address");

export const SourceSchema = z
  .strictObject({
    /** What the source is, as a reader would cite it. */
    citation: z.string().trim().min(1).max(1000),
    /** Its web address, when it has one. */
    url: HttpUrlSchema.nullish(),
    /** What this source supports, when that is not the whole record. */
    note: z.string().max(2000).nullish(),
  })
  .meta({ description: "Where a fact comes from" });
export type Source = z.infer<typeof SourceSchema>;

/** A matter field whose value a rule set (e.g. the judge taken from the case's judge). */
export const InferredFieldSchema = z.strictObject({
  field: z.string().min(1).max(50),
  rule: z.string().min(1).max(500),
});
export type InferredField = z.output<typeof InferredFieldSchema>;

/** Two or more sources giving different values for one field. The matter keeps one; all are shown. */
export const DisagreementSchema = z.strictObject({
  field: z.string().min(1).max(50),
  values: z
    .array(
      z.strictObject({
        value: z.string().max(500).nullable(),
        source: SourceSchema,
      }),
    )
    .min(2),
  note: z.string().max(1000).nullable().default(null),
});
export type Disagreement = z.output<typeof DisagreementSchema>;
