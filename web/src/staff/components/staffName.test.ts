import { describe, expect, it } from "vitest";
import { staffText } from "./staffName";

describe("staffText", () => {
  it("names staff by name, by account on records without one, and machines as such", () => {
    expect(staffText("staff:wang-scjg", "王审查", "系统")).toBe("王审查");
    expect(staffText("staff:wang-scjg", null, "系统")).toBe("staff:wang-scjg");
    expect(staffText("staff:wang-scjg", "  ", "系统")).toBe("staff:wang-scjg");
    expect(staffText("system", null, "系统")).toBe("系统");
    expect(staffText("workflow", null, "系统")).toBe("系统");
    expect(staffText(undefined, "王审查", "系统")).toBe("");
  });
});
