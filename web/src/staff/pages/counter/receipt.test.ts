import { describe, expect, it } from "vitest";
import { maskId, receiptOf, type Receipt } from "./receipt";

const RECEIPT = {
  created: { caseNo: "4403002026120400000011", queryPassword: "123456" },
  itemName: "居住证申领", applicantName: "张三", applicantId: "110105********002X", materials: [],
} as unknown as Receipt;

describe("the receipt", () => {
  it("masks the ID number as the API does", () => {
    expect(maskId("11010519491231002X")).toBe("110105********002X");
    expect(maskId("91440300MA5FXK7Q3T")).toBe("914403********7Q3T");
  });

  it("is read from the history entry of its own case only", () => {
    expect(receiptOf({ receipt: RECEIPT }, "4403002026120400000011")).toBe(RECEIPT);
    expect(receiptOf({ receipt: RECEIPT }, "440300202612040000002X")).toBeNull();
    expect(receiptOf({}, "4403002026120400000011")).toBeNull();
    expect(receiptOf(null, "4403002026120400000011")).toBeNull();
  });
});
