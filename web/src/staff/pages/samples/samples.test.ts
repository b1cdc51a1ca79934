import { describe, expect, it } from "vitest";
import { ruleVersion, sampleActions } from "./samples";

describe("ruleVersion", () => {
  it("reads the version of the rule set", () => {
    expect(ruleVersion("00050501200044030000000011440300MB2C92720G01@v2")).toBe("2");
    expect(ruleVersion("something else")).toBe("");
  });
});

describe("sampleActions", () => {
  it("offers the check and the revocation of an approved case still open for checking", () => {
    expect(sampleActions({ state: "open" }, 11)).toEqual({ check: true, revoke: true, revoked: false });
  });

  it("after the case is revoked, offers only the check, saying so", () => {
    expect(sampleActions({ state: "open" }, 15)).toEqual({ check: true, revoke: false, revoked: true });
  });

  it("offers nothing on a checked sample, nor before the case is read", () => {
    expect(sampleActions({ state: "checked" }, 11)).toEqual({ check: false, revoke: false, revoked: false });
    expect(sampleActions({ state: "open" }, undefined)).toEqual({ check: false, revoke: false, revoked: false });
  });
});
