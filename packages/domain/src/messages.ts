import { z } from "zod";

/**
 * zod's messages in words a person reads beside a field: "Title can be at most 300
 * characters", not "Too big: expected string to have <=300 characters". Installed as zod's
 * global error map (below), so the server's problem+json `errors` and the web's checks before
 * sending say the same. A schema's own message (`.min(1, "Required")`) still wins.
 */

/** "endsOn" → "Ends on"; "sources.0.url" → "Url"; no path → "The value". */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string {
  const key = [...(path ?? [])].reverse().find((p): p is string => typeof p === "string");
  if (!key) return "The value";
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim();
  const named = words.replace(/\bid(s?)$/, "").trim() || words;
  return named.charAt(0).toUpperCase() + named.slice(1);
}

const count = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? "" : "s"}`;

/** What a value of zod's `expected` type is called in a sentence. */
const KIND: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "yes or no",
  array: "a list",
  object: "a group of fields",
  date: "a date",
};

/** The sentence for one issue, or undefined to keep zod's own. */
export function humanIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const label = fieldLabel(issue.path);
  switch (issue.code) {
    case "too_big": {
      const max = issue.maximum as number;
      const limit = issue.inclusive === false ? Number(max) - 1 : max;
      if (issue.origin === "string") return `${label} can be at most ${count(limit, "character")}`;
      if (issue.origin === "array" || issue.origin === "set")
        return `${label} can have at most ${count(limit, "item")}`;
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
        return issue.inclusive === false
          ? `${label} must be less than ${max}`
          : `${label} can be at most ${max}`;
      return undefined;
    }
    case "too_small": {
      const min = issue.minimum as number;
      if (issue.origin === "string")
        return Number(min) <= 1
          ? `${label} is required`
          : `${label} needs at least ${count(min, "character")}`;
      if (issue.origin === "array" || issue.origin === "set")
        return `${label} needs at least ${count(min, "item")}`;
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
        return issue.inclusive === false
          ? `${label} must be more than ${min}`
          : `${label} must be at least ${min}`;
      return undefined;
    }
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return `${label} is required`;
      return KIND[issue.expected] ? `${label} must be ${KIND[issue.expected]}` : undefined;
    case "invalid_value":
      return issue.values.length === 1
        ? `${label} must be ${String(issue.values[0])}`
        : `${label}: choose one of the values offered`;
    case "invalid_format": {
      const what: Record<string, string> = {
        email: "an email address",
        url: "a web address (https://…)",
        uuid: "an id",
        date: "a date as YYYY-MM-DD",
        datetime: "a date and time",
      };
      return what[issue.format]
        ? `${label} must be ${what[issue.format]}`
        : `${label} is not in the expected form`;
    }
    case "unrecognized_keys":
      return `${issue.keys.join(", ")}: ${issue.keys.length === 1 ? "not a field" : "not fields"} here`;
    default:
      return undefined;
  }
}

z.config({ customError: humanIssueMessage });
