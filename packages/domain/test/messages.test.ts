import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CreateMatterSchema,
  CreatePeriodSchema,
  fieldLabel,
  isValidPartialDate,
  PARTIAL_DATE_FORMAT_MESSAGE,
  PartialDateSchema,
  partialDateProblem,
} from "../src/index.js";

/** The messages of a failed parse, keyed by path. */
function messages(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("validation messages are written for people", () => {
  it("names the field from its key", () => {
    expect(fieldLabel(["title"])).toBe("Title");
    expect(fieldLabel(["endsOn"])).toBe("Ends on");
    expect(fieldLabel(["sources", 0, "citation"])).toBe("Citation");
    expect(fieldLabel(["agencyIds", 2])).toBe("Agency");
    expect(fieldLabel([])).toBe("The value");
  });

  it("says a text's limit as a sentence about the field", () => {
    const schema = z.object({ title: z.string().max(300), endsOn: z.string().max(10) });
    expect(messages(schema, { title: "x".repeat(301), endsOn: "2017-01-01" })).toEqual({
      title: "Title can be at most 300 characters",
    });
    expect(messages(schema, { title: "", endsOn: "x".repeat(11) })).toEqual({
      endsOn: "Ends on can be at most 10 characters",
    });
  });

  it("says what is missing, what is too small and what is not offered", () => {
    const schema = z.strictObject({
      name: z.string(),
      count: z.int().min(1),
      kind: z.enum(["city", "county"]),
      tags: z.array(z.string()).max(1),
    });
    expect(messages(schema, { count: 0, kind: "town", tags: ["a", "b"], extra: 1 })).toEqual({
      name: "Name is required",
      count: "Count must be at least 1",
      kind: "Kind: choose one of the values offered",
      tags: "Tags can have at most 1 item",
      "": "extra: not a field here",
    });
  });

  it("keeps a schema's own message", () => {
    expect(messages(z.object({ a: z.string().min(1, "Required") }), { a: "" })).toEqual({ a: "Required" });
  });

  it("reaches the domain's schemas (a matter's title)", () => {
    const result = CreateMatterSchema.safeParse({ title: "x".repeat(1000) });
    expect(result.success).toBe(false);
    const title = result.error?.issues.find((i) => i.path.join(".") === "title");
    expect(title?.message).toMatch(/^Title can be at most \d+ characters$/);
  });
});

describe("a typed date that is no day says so", () => {
  it.each([
    ["2017-02-30", "2017-02-30 is not a day of the calendar"],
    ["2019-02-29", "2019-02-29 is not a day of the calendar"],
    ["2017-13", "2017-13 is not a month of the calendar"],
    ["2017-00", "2017-00 is not a month of the calendar"],
    ["12/01/2017", PARTIAL_DATE_FORMAT_MESSAGE],
    ["2017-1-5", PARTIAL_DATE_FORMAT_MESSAGE],
  ])("%s → %s", (value, message) => {
    expect(partialDateProblem(value)).toBe(message);
    expect(messages(PartialDateSchema, value)).toEqual({ "": message });
  });

  it("has no problem with real dates of any precision", () => {
    for (const value of ["2017", "2017-02", "2016-02-29", "2017-12-31"]) {
      expect(isValidPartialDate(value)).toBe(true);
      expect(partialDateProblem(value)).toBeNull();
    }
  });
});

describe("a reporting period's dates", () => {
  it("names a day that does not exist, on the field", () => {
    expect(messages(CreatePeriodSchema, { label: "First", endsOn: "2017-02-30" })).toEqual({
      endsOn: "2017-02-30 is not a day of the calendar",
    });
  });

  it("puts an end before the start on the end", () => {
    expect(
      messages(CreatePeriodSchema, { label: "First", startsOn: "2018-01-01", endsOn: "2017-12-31" }),
    ).toEqual({ endsOn: "The period ends before it starts" });
  });
});
