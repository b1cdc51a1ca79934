import { describe, expect, it } from "vitest";
import { caseRevocable, transitionsFrom } from "./caseLifecycle";

describe("case lifecycle from the glossary", () => {
  it("reads each status's may-go-to column", () => {
    const table = transitionsFrom([
      "| code | 中文 | meaning | may go to |", "|---|---|---|---|",
      "| 1 | 已接件 | received | 2, 3, 15 |", "| 2 | 已撤件 | withdrawn before acceptance | — |",
    ].join("\n"));
    expect(table).toEqual(new Map([[1, [2, 3, 15]], [2, []]]));
  });

  it("revokes a case still open or approved, not one already ended (docs/glossary.md)", () => {
    expect([1, 3, 6, 7, 8, 9, 10, 11, 12].every(caseRevocable)).toBe(true);
    expect([2, 4, 5, 13, 14, 15].some(caseRevocable)).toBe(false);
  });
});
