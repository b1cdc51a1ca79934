import { describe, expect, it } from "vitest";
import { statesWithCases, versionsWithCases, type OpenCases } from "./openCases";

const OPEN: OpenCases = {
  asOf: "2026-12-10T02:00:00Z", depts: ["SCJG", "ZWFW"], count: 5, overdue: 1, keepVersion: true,
  byState: { acceptance: 1, review: 2, supplement: 0, special: 2 },
  byVersion: { "10": 1, "2": 3, "9": 1 }, soonest: [],
};

describe("the simulation's open cases in words", () => {
  it("names only the states that have cases, in the process's order", () => {
    expect(statesWithCases(OPEN)).toEqual([
      { state: "acceptance", n: 1 }, { state: "review", n: 2 }, { state: "special", n: 2 }]);
  });

  it("lists the versions by number, not as text", () => {
    expect(versionsWithCases(OPEN)).toEqual([
      { version: 2, n: 3 }, { version: 9, n: 1 }, { version: 10, n: 1 }]);
  });

  it("says nothing of states or versions without cases", () => {
    const none = { ...OPEN, count: 0, byState: { acceptance: 0, review: 0, supplement: 0, special: 0 }, byVersion: {} };
    expect(statesWithCases(none)).toEqual([]);
    expect(versionsWithCases(none)).toEqual([]);
  });
});
