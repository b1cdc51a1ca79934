import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./auth";

describe("safeReturnPath", () => {
  it("keeps a path of this app", () => {
    expect(safeReturnPath("/apply/123?step=2")).toBe("/apply/123?step=2");
    expect(safeReturnPath("/")).toBe("/");
  });

  it("never sends the browser elsewhere after sign-in", () => {
    for (const bad of ["//evil.example/x", "/\\evil.example", "https://evil.example/",
                       "javascript:alert(1)", "", undefined, 42]) {
      expect(safeReturnPath(bad)).toBe("/");
    }
  });
});
