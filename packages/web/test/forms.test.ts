import {
  CreateCycleSchema,
  CreateMatterSchema,
  CreateWatchSchema,
  ParseEditSchema,
  type Problem,
  SearchQuerySchema,
  UpdateDocumentSchema,
} from "@accord/domain";
import { describe, expect, it } from "vitest";
import { limitedInputs, maxLengthOf, maxLengths, schemaErrors, serverErrors } from "../src/lib/forms.js";

/** Issue 17, item 3: messages a person reads on the field, and inputs that carry their limits. */

const problem = (errors: Problem["errors"]): Problem =>
  ({ type: "x", title: "Bad Request", status: 400, code: "validation_failed", errors }) as Problem;

describe("the server's field errors on the form", () => {
  it("puts each message on its field, and the rest above the form without a path in front", () => {
    const got = serverErrors(
      problem([
        { path: "body.endsOn", message: "2017-02-30 is not a day of the calendar" },
        { path: "sources.0.url", message: "Url must be a web address (https://…)" },
        { path: "reportDocumentId", message: "Report document must be an id" },
      ]),
      ["label", "endsOn"],
    );
    expect(got.fields).toEqual({
      endsOn: "2017-02-30 is not a day of the calendar",
      "sources.0.url": "Url must be a web address (https://…)",
    });
    expect(got.other).toEqual(["Report document must be an id"]);
  });
});

describe("checks before sending say the same as the server", () => {
  it("words a too-long title and a day that does not exist", () => {
    const errors = schemaErrors(CreateMatterSchema, {
      slug: "a-matter",
      kind: "consent_decree",
      status: "active",
      title: "x".repeat(301),
      jurisdictionId: "00000000-0000-4000-8000-000000000001",
      enteredOn: "2017-02-30",
    });
    expect(errors.title).toBe("Title can be at most 300 characters");
    expect(errors.enteredOn).toBe("2017-02-30 is not a day of the calendar");
  });
});

describe("inputs carry the schema's limits", () => {
  const limits = maxLengths(CreateMatterSchema);

  it("reads every text field's maximum, through optional, nullable and list wrappers", () => {
    expect(limits.title).toBe(300);
    expect(limits.summary).toBe(10000);
    expect(limits.caseNumber).toBe(100);
    expect(limits.slug).toBe(120);
    expect(limits["sources.*.citation"]).toBeGreaterThan(0);
    expect(limits.kind).toBeUndefined();
    expect(limits.enteredOn).toBeUndefined();
  });

  it("finds a list item's limit by its indexed path", () => {
    expect(maxLengthOf(limits, "sources.3.citation")).toBe(limits["sources.*.citation"]);
    expect(maxLengthOf(limits, "title")).toBe(300);
    expect(maxLengthOf(limits, "public")).toBeUndefined();
  });

  it("gives nothing for a value that is not an object schema", () => {
    expect(maxLengths(undefined)).toEqual({});
  });
});

describe("limits of every form's fields", () => {
  it("reads a union's members, so a discriminated body's fields carry their limits too", () => {
    expect(maxLengths(CreateWatchSchema)).toEqual({ key: 120, keywords: 200 });
    const edits = maxLengths(ParseEditSchema);
    expect(edits.newLabel).toBe(40);
    expect(edits.caption).toBe(300);
    expect(edits.text).toBe(100_000);
    expect(edits.to).toBe(40);
  });

  it("gives the cycle's list items their limits by indexed path", () => {
    const limits = maxLengths(CreateCycleSchema);
    expect(maxLengthOf(limits, "criteria.3.title")).toBe(300);
    expect(maxLengthOf(limits, "ratingScale.0.label")).toBe(80);
    expect(limits.name).toBe(300);
  });

  it("marks each input with its path and, where the schema has one, its limit", () => {
    const enhance = limitedInputs(UpdateDocumentSchema);
    expect(enhance({ field: "title" })).toEqual({ "data-path": "title", maxLength: 500 });
    expect(enhance({ field: "sourceUrl" })).toEqual({ "data-path": "sourceUrl", maxLength: 2000 });
    expect(enhance({ field: "public" })).toEqual({ "data-path": "public" });
  });

  it("limits the search boxes as their queries are limited", () => {
    expect(maxLengths(SearchQuerySchema).q).toBe(500);
  });
});
