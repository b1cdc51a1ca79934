import { afterEach, describe, expect, it } from "vitest";
import { forgetReceipt, keepReceipt, maskId, receiptFor, type Receipt } from "./receipt";

const RECEIPT = {
  created: { caseNo: "4403002026120400000011", queryPassword: "123456" },
  itemName: "居住证申领", applicantName: "张三", applicantId: "110105********002X", materials: [],
} as unknown as Receipt;

describe("the receipt", () => {
  afterEach(forgetReceipt);

  it("masks the ID number as the API does", () => {
    expect(maskId("11010519491231002X")).toBe("110105********002X");
    expect(maskId("91440300MA5FXK7Q3T")).toBe("914403********7Q3T");
  });

  it("is shown to the clerk who took it, for its own case only", () => {
    keepReceipt("clerk", RECEIPT);
    expect(receiptFor("clerk", "4403002026120400000011")).toBe(RECEIPT);
    expect(receiptFor("rsj", "4403002026120400000011")).toBeNull();
    expect(receiptFor(undefined, "4403002026120400000011")).toBeNull();
    expect(receiptFor("clerk", "440300202612040000002X")).toBeNull();
  });

  it("is kept nowhere but in the page: forgotten, it is gone", () => {
    keepReceipt("clerk", RECEIPT);
    forgetReceipt();
    expect(receiptFor("clerk", "4403002026120400000011")).toBeNull();
    expect(JSON.stringify(window.history.state ?? null)).not.toContain("123456");
  });
});
