import { describe, expect, it } from "vitest";
import { nameOf } from "./departments";

describe("nameOf", () => {
  const directory = [{ code: "SCJG", name: "深圳市市场监督管理局", itemCount: 3 }];
  it("shows a department by its name, its code only while unknown", () => {
    expect(nameOf(directory, "SCJG")).toBe("深圳市市场监督管理局");
    expect(nameOf(directory, "XFJY")).toBe("XFJY");
  });
});
