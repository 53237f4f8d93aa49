import { describe, expect, it } from "vitest";
import { AppError } from "../src/context/app-error.js";
import { requireIfMatch } from "../src/context/versioning.js";

const refusal = (header: string | undefined) => {
  try {
    requireIfMatch(header);
  } catch (e) {
    return e as AppError;
  }
  throw new Error(`${header} was accepted`);
};

describe("If-Match", () => {
  it("reads the strong ETag the server sent", () => {
    expect(requireIfMatch('"3"')).toBe(3);
    expect(requireIfMatch(' "12" ')).toBe(12);
  });

  it("asks for it when missing (428)", () => {
    const e = refusal(undefined);
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.status]).toEqual(["if_match_required", 428]);
  });

  it("refuses weak and unquoted validators, which do not prove the version read (400)", () => {
    for (const header of ['W/"3"', "3", "*", '"3", "4"', '"x"']) {
      const e = refusal(header);
      expect([e.code, e.status], header).toEqual(["if_match_invalid", 400]);
    }
  });
});
