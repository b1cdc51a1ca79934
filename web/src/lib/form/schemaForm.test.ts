import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  UNDERSTOOD_KEYWORDS, checkField, checkForm, fieldOfApiError, fieldsOf, formBody, inputId,
  leaves, placeOfApiError, setValueAt, valueAt, type FieldSpec, type FormValues, type JsonSchema,
} from "./schemaForm";

const ITEMS = JSON.parse(readFileSync(
  // the shipped demo catalogue (vitest runs in web/)
  resolve(process.cwd(), "../infra/local/data/items.json"), "utf-8")) as
  { name: string; formSchema: JsonSchema }[];

function item(name: string): JsonSchema {
  const found = ITEMS.find((i) => i.name === name);
  if (!found) throw new Error(`no demo item ${name}`);
  return found.formSchema;
}

function field(fields: FieldSpec[], path: string): FieldSpec {
  const found = leaves(fields).find((f) => f.path === path);
  if (!found) throw new Error(`no field ${path}`);
  return found;
}

function keywords(schema: JsonSchema, into: Set<string>): Set<string> {
  for (const [key, value] of Object.entries(schema)) {
    into.add(key);
    if (key === "properties") {
      for (const sub of Object.values(value as Record<string, JsonSchema>)) keywords(sub, into);
    }
  }
  return into;
}

describe("the demo items' forms", () => {
  it("use no JSON Schema keyword the renderer does not understand", () => {
    expect(ITEMS.length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const each of ITEMS) keywords(each.formSchema, used);
    expect([...used].filter((k) => !UNDERSTOOD_KEYWORDS.has(k))).toEqual([]);
  });

  it("render every property of every item, each with a label and a kind", () => {
    for (const each of ITEMS) {
      const fields = fieldsOf(each.formSchema);
      expect(fields.map((f) => f.name)).toEqual(Object.keys(each.formSchema.properties ?? {}));
      for (const f of fields) expect(f.label.length).toBeGreaterThan(0);
    }
  });
});

describe("fieldsOf", () => {
  const food = fieldsOf(item("食品经营许可（新办）"));

  it("keeps the order the properties are listed in, required marked", () => {
    expect(food.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["businessName", "text", true], ["address", "text", true],
      ["category", "radio", true], ["areaSqm", "number", false]]);
  });

  it("labels with the title, else the property name; hints from description and examples", () => {
    const fields = fieldsOf({ type: "object", properties: {
      shop: { type: "string", title: "店名", description: "与执照一致", examples: ["小吃店"] },
      bare: { type: "string" } } });
    expect(fields.map((f) => [f.label, f.hint])).toEqual([
      ["店名", "与执照一致；例如：小吃店"], ["bare", ""]]);
  });

  it("follows an explicit order keyword when the schema has one", () => {
    const fields = fieldsOf({ type: "object", "x-order": ["c", "a"], properties: {
      a: { type: "string" }, b: { type: "string" }, c: { type: "string" } } });
    expect(fields.map((f) => f.name)).toEqual(["c", "a", "b"]);
  });

  it("turns enums, integers, dates, long text, booleans and nested objects into their inputs", () => {
    expect(field(fieldsOf(item("民办学校设立审批")), "level").kind).toBe("select");   // 5 options
    expect(field(fieldsOf(item("居住证申领")), "reason").kind).toBe("radio");          // 3 options
    expect(field(fieldsOf(item("开办餐厅“一件事”")), "seats").kind).toBe("integer");
    const injury = fieldsOf(item("工伤认定"));
    expect(field(injury, "accidentDate").kind).toBe("date");
    expect(field(injury, "description").kind).toBe("textarea");
    const nested = fieldsOf({ type: "object", properties: {
      agree: { type: "boolean", title: "同意" },
      contact: { type: "object", title: "联系人", required: ["phone"], properties: {
        phone: { type: "string", title: "电话" } } } } });
    expect(nested.map((f) => f.kind)).toEqual(["boolean", "object"]);
    expect(leaves(nested).map((f) => [f.path, f.required])).toEqual([
      ["agree", false], ["contact.phone", true]]);
  });
});

describe("checkField: the item's rules in Chinese", () => {
  const food = fieldsOf(item("食品经营许可（新办）"));

  it("a required field left blank", () => {
    // (labels are the titles once the demo items carry them, the names until then)
    const name = field(food, "businessName");
    expect(checkField(name, "  ")).toBe(`请填写${name.label}`);
    const category = field(food, "category");
    expect(checkField(category, undefined)).toBe(`请选择${category.label}`);
    expect(checkField(field(food, "areaSqm"), "")).toBeNull();          // optional
  });

  it("minLength and maxLength count characters", () => {
    const address = field(food, "address");
    expect(checkField(address, "深圳市")).toMatch(/至少 5 个字/);
    expect(checkField(address, "深圳市南山区")).toBeNull();
    expect(checkField(address, "深".repeat(201))).toMatch(/最多 200 个字/);
    expect(checkField(field(fieldsOf({ type: "object", properties: {
      s: { type: "string", minLength: 2 } } }), "s"), "😀😀")).toBeNull();  // 2 code points
  });

  it("an enum takes only its options", () => {
    expect(checkField(field(food, "category"), "餐饮服务")).toBeNull();
    expect(checkField(field(food, "category"), "其他")).toMatch(/选项/);
  });

  it("numbers: not a number, exclusiveMinimum, maximum", () => {
    const area = field(food, "areaSqm");
    expect(checkField(area, "八十")).toMatch(/须为数字/);
    expect(checkField(area, "0")).toMatch(/须大于 0/);
    expect(checkField(area, "0.5")).toBeNull();
    const size = field(fieldsOf(item("设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批（招牌）")), "sizeSqm");
    expect(checkField(size, "200")).toBeNull();
    expect(checkField(size, "200.5")).toMatch(/不能大于 200/);
  });

  it("integers: minimum and maximum, no fractions", () => {
    const seats = field(fieldsOf(item("开办餐厅“一件事”")), "seats");
    expect(checkField(seats, "0")).toMatch(/不能小于 1/);
    expect(checkField(seats, "12.5")).toMatch(/须为整数/);
    expect(checkField(seats, "5001")).toMatch(/不能大于 5000/);
    expect(checkField(seats, "40")).toBeNull();
    const beds = field(fieldsOf(item("医疗机构执业登记")), "beds");
    expect(checkField(beds, "0")).toBeNull();
    expect(checkField(beds, "-1")).toMatch(/不能小于 0/);
  });

  it("a pattern (个人参保证明打印's period, YYYY-MM)", () => {
    const period = field(fieldsOf(item("个人参保证明打印")), "period");
    expect(checkField(period, "2026-11")).toBeNull();
    expect(checkField(period, "2026年11月")).toMatch(/格式不正确/);
  });

  it("a date is a real calendar day", () => {
    const date = field(fieldsOf(item("工伤认定")), "accidentDate");
    expect(checkField(date, "2026-02-28")).toBeNull();
    expect(checkField(date, "2026-02-30")).toMatch(/有效日期/);
    expect(checkField(date, "")).toBe(`请选择${date.label}`);
  });

  it("a required boolean must be answered", () => {
    const agree = field(fieldsOf({ type: "object", required: ["agree"], properties: {
      agree: { type: "boolean", title: "同意" } } }), "agree");
    expect(checkField(agree, undefined)).toBe("请选择同意");
    expect(checkField(agree, false)).toBeNull();
  });
});

describe("checkForm and formBody", () => {
  const food = fieldsOf(item("食品经营许可（新办）"));

  it("every error at once, by path", () => {
    expect(Object.keys(checkForm(food, { businessName: "小", areaSqm: "-1" })).sort())
      .toEqual(["address", "areaSqm", "businessName", "category"]);
    expect(checkForm(food, { businessName: "小吃店", address: "深圳市南山区科技园",
                             category: "餐饮服务" })).toEqual({});
  });

  it("the body has numbers as numbers, text trimmed, blanks left out", () => {
    expect(formBody(food, { businessName: " 小吃店 ", address: "深圳市南山区科技园",
                            category: "餐饮服务", areaSqm: "80.5" }))
      .toEqual({ businessName: "小吃店", address: "深圳市南山区科技园", category: "餐饮服务",
                 areaSqm: 80.5 });
    expect(formBody(food, { businessName: "小吃店", areaSqm: "" })).toEqual({ businessName: "小吃店" });
  });

  it("nested objects and booleans", () => {
    const fields = fieldsOf({ type: "object", properties: {
      agree: { type: "boolean" },
      contact: { type: "object", properties: { phone: { type: "string" }, n: { type: "integer" } } } } });
    const values: FormValues = {};
    setValueAt(values, "contact.phone", "13800138000");
    setValueAt(values, "contact.n", "3");
    setValueAt(values, "agree", false);
    expect(valueAt(values, "contact.phone")).toBe("13800138000");
    expect(formBody(fields, values)).toEqual({ agree: false, contact: { phone: "13800138000", n: 3 } });
    expect(formBody(fields, {})).toEqual({});
  });
});

describe("the API's error.field back to its input", () => {
  const nested = fieldsOf({ type: "object", properties: {
    address: { type: "string" },
    contact: { type: "object", properties: { phone: { type: "string" } } } } });

  it("form fields, nested included, the nearest rendered field for deeper paths", () => {
    expect(fieldOfApiError(nested, "form.address")).toBe("address");
    expect(fieldOfApiError(nested, "form.contact.phone")).toBe("contact.phone");
    expect(fieldOfApiError(nested, "form.address.0")).toBe("address");
    expect(fieldOfApiError(nested, "form.unknown")).toBeNull();
    expect(fieldOfApiError(nested, "applicant.phone")).toBeNull();
    expect(fieldOfApiError(nested, undefined)).toBeNull();
  });

  it("materials by index, the applicant by field, anything else to the page", () => {
    expect(placeOfApiError("materials.1.materialId")).toEqual({ area: "materials", index: 1, field: "materialId" });
    expect(placeOfApiError("materials")).toEqual({ area: "materials", index: null, field: null });
    expect(placeOfApiError("applicant.phone")).toEqual({ area: "applicant", field: "phone" });
    expect(placeOfApiError("form.address")).toEqual({ area: "form", path: "address" });
    expect(placeOfApiError("Idempotency-Key")).toEqual({ area: "page" });
    expect(placeOfApiError(undefined)).toEqual({ area: "page" });
  });

  it("input ids are safe for nested paths", () => {
    expect(inputId("contact.phone")).toBe("form-contact-phone");
  });
});
