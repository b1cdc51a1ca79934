import { describe, expect, it } from "vitest";
import type { Schemas } from "../../../lib/api";
import {
  applicantErrors, counterApplication, idNumberError, missingMandatory, newIntake, normaliseIdNumber,
  openCaseOf, takenAtCounter, counterTakes,
} from "./intake";

const MATERIALS = [
  { name: "本人身份证件", mandatory: true, form: "electronic" },
  { name: "居住证明", mandatory: true, form: "both" },
  { name: "其他材料", mandatory: false, form: "paper" },
] as Schemas["Material"][];

describe("ID numbers, by the API's rule", () => {
  it("takes valid numbers of each kind (the demo people and company)", () => {
    expect(idNumberError("natural", "11010519491231002X")).toBeNull();
    expect(idNumberError("natural", "440305199003070014")).toBeNull();
    expect(idNumberError("legal", "91440300MA5FXK7Q3T")).toBeNull();
  });

  it("refuses a wrong check character, length, birth date or alphabet", () => {
    expect(idNumberError("natural", "110105194912310021")).toMatch("校验位");
    expect(idNumberError("natural", "11010519491231002")).toMatch("18 位");
    // check character right, 30 February: no such birth date
    expect(idNumberError("natural", "110105194902300012")).toMatch("出生日期");
    expect(idNumberError("natural", "11010519491231002A")).toMatch("数字");
    expect(idNumberError("legal", "91440300MA5FXK7Q3A")).toMatch("校验位");
    expect(idNumberError("legal", "91440300MA5FXK7QIT")).toMatch("格式");
    // a person's number is not a company's, and the other way round
    expect(idNumberError("legal", "11010519491231002X")).not.toBeNull();
    expect(idNumberError("natural", "91440300MA5FXK7Q3T")).not.toBeNull();
    expect(idNumberError("natural", "")).toMatch("请输入");
  });

  it("reads a number as a card reader or a person types it", () => {
    expect(normaliseIdNumber(" 110105 19491231 002x\n")).toBe("11010519491231002X");
  });
});

describe("the intake", () => {
  it("names each wrong field of the applicant", () => {
    const intake = { ...newIntake("natural", () => "k"), idNumber: "110105194912310021", phone: "12345" };
    expect(Object.keys(applicantErrors(intake)).sort()).toEqual(["idNumber", "name", "phone"]);
    expect(applicantErrors({ ...intake, name: "张三", idNumber: "11010519491231002x", phone: "" })).toEqual({});
  });

  it("lists the mandatory materials not taken", () => {
    expect(missingMandatory(MATERIALS, { 本人身份证件: "original" })).toEqual(["居住证明"]);
    expect(missingMandatory(MATERIALS, { 本人身份证件: "original", 居住证明: "copy" })).toEqual([]);
  });

  it("is sent as a counter application with the materials taken, in the item's order", () => {
    const intake = { ...newIntake("natural", () => "k"), name: " 张三 ", idNumber: "11010519491231002x",
                     phone: "13800138000", materials: { 居住证明: "copy", 本人身份证件: "original", 其他材料: "" } } as const;
    expect(counterApplication("C1", { ...intake, materials: { ...intake.materials } }, { address: "深圳" }, MATERIALS)).toEqual({
      itemCode: "C1", channel: "counter",
      applicant: { type: "natural", name: "张三", idNumber: "11010519491231002X", phone: "13800138000" },
      form: { address: "深圳" },
      materials: [{ name: "本人身份证件", checkedAtCounter: "original" }, { name: "居住证明", checkedAtCounter: "copy" }],
    });
    const noPhone = counterApplication("C1", { ...intake, phone: " ", materials: {} }, {}, MATERIALS);
    expect(noPhone.applicant).not.toHaveProperty("phone");
    expect(noPhone.materials).toEqual([]);
  });

  it("says what the counter takes of a material: the original and its paper copies", () => {
    expect(counterTakes({ copies: 2 })).toBe("原件或复印件 2 份");
    expect(counterTakes({})).toBe("原件或复印件 1 份");
    expect(counterTakes({ copies: 0 })).toBe("原件（当场核验）");
  });

  it("gives each intake its own key", () => {
    expect(newIntake("legal").idempotencyKey).not.toBe(newIntake("legal").idempotencyKey);
  });

  it("takes items that say they are taken at the counter", () => {
    expect(takenAtCounter({ channels: ["web", "counter"] })).toBe(true);
    expect(takenAtCounter({ channels: ["web"] })).toBe(false);
  });

  it("finds the open case a duplicate names", () => {
    expect(openCaseOf("an identical application (same applicant, item and form) is open as case "
      + "440300202612040000002X (已接件): follow that case")).toBe("440300202612040000002X");
    expect(openCaseOf(null)).toBeNull();
  });
});
