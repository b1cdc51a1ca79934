import { describe, expect, it } from "vitest";
import { capabilitiesOf, isStaff } from "./capabilities";

describe("capabilitiesOf", () => {
  it("gives each role only what it can take", () => {
    expect([...capabilitiesOf({ role: "clerk", leads: [] })].sort()).toEqual(["counter", "inbox"]);
    expect([...capabilitiesOf({ role: "reviewer", leads: [] })]).toEqual(["inbox"]);
    expect([...capabilitiesOf({ role: "reviewer", leads: ["SCJG"] })].sort()).toEqual(["department", "inbox"]);
    expect([...capabilitiesOf({ role: "supervisor", leads: [] })].sort()).toEqual(["samples", "statistics", "supervise"]);
    expect([...capabilitiesOf({ role: "admin", leads: [] })].sort()).toEqual(["catalogue", "samples", "statistics"]);
    expect([...capabilitiesOf({ role: "evaluator", leads: [] })]).toEqual(["statistics"]);
  });

  it("keeps applicants out, whatever they claim to lead", () => {
    expect(isStaff({ role: "applicant", leads: ["SCJG"] })).toBe(false);
    expect(capabilitiesOf({ role: "applicant", leads: ["SCJG"] }).size).toBe(0);
  });
});
