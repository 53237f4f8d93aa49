import { z } from "zod";

/**
 * Grants: awards to a jurisdiction or agency, the conditions attached to them, and each
 * condition's dated status history. The lawsuits over conditions are matters of kind "lawsuit".
 */

export const GRANT_PROGRAMS = [
  "byrne_jag",
  "cops_hiring",
  "project_safe_neighborhoods",
  "cgic",
  "other",
] as const;
export type GrantProgram = (typeof GRANT_PROGRAMS)[number];

export const GRANT_PROGRAM_LABELS: Record<GrantProgram, string> = {
  byrne_jag: "Byrne JAG",
  cops_hiring: "COPS Hiring",
  project_safe_neighborhoods: "Project Safe Neighborhoods",
  cgic: "Crime Gun Intelligence Centers",
  other: "Other program",
};

/** What an amount means: the whole award, a city's share of it, what is at stake, what was withheld. */
export const AMOUNT_MEANINGS = ["total_award", "city_share", "at_stake", "withheld"] as const;
export type AmountMeaning = (typeof AMOUNT_MEANINGS)[number];

export const AMOUNT_MEANING_LABELS: Record<AmountMeaning, string> = {
  total_award: "Total award",
  city_share: "City's share",
  at_stake: "At stake",
  withheld: "Withheld",
};

export const CONDITION_KINDS = [
  "section_1373_certification",
  "notice_of_release",
  "jail_access",
  "other",
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const CONDITION_KIND_LABELS: Record<ConditionKind, string> = {
  section_1373_certification: "8 U.S.C. 1373 certification",
  notice_of_release: "Notice of release",
  jail_access: "Jail access",
  other: "Other condition",
};

export const CONDITION_STATUSES = [
  "imposed",
  "documentation_demanded",
  "in_question",
  "found_possibly_non_compliant",
  "cleared",
  "enjoined",
  "withdrawn",
] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

export const CONDITION_STATUS_LABELS: Record<ConditionStatus, string> = {
  imposed: "Imposed",
  documentation_demanded: "Documentation demanded",
  in_question: "In question",
  found_possibly_non_compliant: "Found possibly non-compliant",
  cleared: "Cleared",
  enjoined: "Enjoined by a court",
  withdrawn: "Withdrawn",
};

/** The statuses that put a jurisdiction's money at risk. */
export const AT_RISK_CONDITION_STATUSES: readonly ConditionStatus[] = [
  "documentation_demanded",
  "in_question",
  "found_possibly_non_compliant",
];

/** The moves a condition's status may make. A withdrawn condition stays withdrawn. */
export const CONDITION_TRANSITIONS: Record<ConditionStatus, readonly ConditionStatus[]> = {
  imposed: [
    "documentation_demanded",
    "in_question",
    "found_possibly_non_compliant",
    "cleared",
    "enjoined",
    "withdrawn",
  ],
  documentation_demanded: ["in_question", "found_possibly_non_compliant", "cleared", "enjoined", "withdrawn"],
  in_question: ["documentation_demanded", "found_possibly_non_compliant", "cleared", "enjoined", "withdrawn"],
  found_possibly_non_compliant: ["documentation_demanded", "in_question", "cleared", "enjoined", "withdrawn"],
  cleared: ["documentation_demanded", "in_question", "found_possibly_non_compliant", "enjoined", "withdrawn"],
  enjoined: ["imposed", "cleared", "withdrawn"],
  withdrawn: [],
};

/** Whether a condition may move; a status may also be confirmed again (a second demand). */
export function canConditionTransition(from: ConditionStatus, to: ConditionStatus): boolean {
  if (from === "withdrawn") return false;
  return from === to || CONDITION_TRANSITIONS[from].includes(to);
}

export const GrantProgramSchema = z.enum(GRANT_PROGRAMS);
export const AmountMeaningSchema = z.enum(AMOUNT_MEANINGS);
export const ConditionKindSchema = z.enum(CONDITION_KINDS);
export const ConditionStatusSchema = z.enum(CONDITION_STATUSES);

/** Fiscal years Accord accepts: the department's programs began long after 1960. */
export const FiscalYearSchema = z
  .int({ error: "Give the fiscal year as a whole number, such as 2017" })
  .min(1960, { error: "A fiscal year before 1960 is not accepted" })
  .max(2100, { error: "A fiscal year after 2100 is not accepted" });

/** An amount in US dollars. */
export const AmountSchema = z
  .number({ error: "Give the amount as a number of dollars" })
  .nonnegative({ error: "An amount cannot be negative" })
  .max(1e12, { error: "An amount over a trillion dollars is not accepted" });

/** Sums of amounts by what they mean, for one program and fiscal year (null: year unknown). */
export const MoneyRowSchema = z.object({
  program: GrantProgramSchema,
  fiscalYear: z.int().nullable(),
  totalAward: z.number(),
  cityShare: z.number(),
  atStake: z.number(),
  withheld: z.number(),
  /** Awards counted whose amount is unknown. */
  unknownAmounts: z.int(),
});
export type MoneyRow = z.infer<typeof MoneyRowSchema>;
