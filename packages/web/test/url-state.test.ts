import { describe, expect, it } from "vitest";
import { localPath } from "../src/lib/url-state.js";

/** Issue 17, item 11: after a required second factor is set up, the page asked for opens, only ours. */
describe("the page to go on to", () => {
  it("is a path inside Accord, with its query", () => {
    expect(localPath("/matters")).toBe("/matters");
    expect(localPath("/matters?status=active&q=a%20b")).toBe("/matters?status=active&q=a%20b");
  });

  it("is never another site, nor nothing", () => {
    for (const value of [
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "matters",
      "",
      null,
    ]) {
      expect(localPath(value)).toBeNull();
    }
  });
});
