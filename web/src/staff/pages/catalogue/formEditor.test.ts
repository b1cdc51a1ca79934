import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../../lib/form/schemaForm";
import { editableForm, editorKeyOfApiError, moved, newField, problemsOf, retyped, schemaOf } from "./formEditor";

const FOOD = {
  title: "食品经营许可申请表", type: "object", required: ["businessName", "category"],
  additionalProperties: false,
  properties: {
    businessName: { title: "经营者名称", description: "与营业执照一致", type: "string", minLength: 2,
                    maxLength: 100, examples: ["深圳小吃有限公司"] },
    category: { title: "经营项目", type: "string", enum: ["食品销售", "餐饮服务"] },
    areaSqm: { title: "经营场所面积（平方米）", type: "number", exclusiveMinimum: 0, examples: [80] },
    seats: { title: "座位数", type: "integer", minimum: 1 },
    openedOn: { title: "开业日期", type: "string", format: "date" },
    agree: { title: "同意公开", type: "boolean" },
    contact: { title: "联系人", type: "object", properties: { phone: { type: "string", title: "电话" } } },
  },
};

describe("the form editor reads a schema and writes it back", () => {
  it("round-trips a schema unchanged: order, rules and keywords it does not edit kept", () => {
    const form = editableForm(FOOD);
    expect(form.fields.map((f) => [f.name, f.type])).toEqual([
      ["businessName", "text"], ["category", "choice"], ["areaSqm", "number"], ["seats", "number"],
      ["openedOn", "date"], ["agree", "boolean"], ["contact", "other"]]);
    expect(form.fields[0]?.example).toBe("深圳小吃有限公司");
    const schema = schemaOf(form);
    expect(schema).toEqual(FOOD);
    expect(JSON.stringify(Object.keys(schema.properties ?? {}))).toBe(JSON.stringify(Object.keys(FOOD.properties)));
  });

  it("a new field with a Chinese title, a type, required, a hint and an example", () => {
    const form = editableForm(FOOD);
    const field = newField(form);
    expect(field.name).toBe("field8");
    Object.assign(field, { name: "staffCount", title: "从业人员人数", required: true,
                           description: "含兼职人员", example: "12" });
    form.fields.push(retyped(field, "number"));
    const schema = schemaOf(form);
    expect(schema.properties?.staffCount).toEqual(
      { title: "从业人员人数", type: "number", description: "含兼职人员", examples: [12] });
    expect(schema.required).toEqual(["businessName", "category", "staffCount"]);
    // … and the citizen's form (the portal's renderer) shows it last, labelled, required
    const rendered = fieldsOf(schema).at(-1);
    expect(rendered).toMatchObject({ name: "staffCount", label: "从业人员人数", kind: "number",
                                     required: true, hint: "含兼职人员；例如：12" });
  });

  it("a choice's options become its enum; yes/no a boolean", () => {
    const form = editableForm({ title: "表", type: "object", properties: {} });
    form.fields.push({ ...retyped(newField(form), "choice"), name: "size", title: "规模",
                       options: ["小型", " 中型 ", ""] });
    form.fields.push({ ...retyped(newField(form), "boolean"), name: "chain", title: "连锁经营",
                       example: "是" });
    const schema = schemaOf(form);
    expect(schema.properties?.size).toEqual({ title: "规模", type: "string", enum: ["小型", "中型"] });
    expect(schema.properties?.chain).toEqual({ title: "连锁经营", type: "boolean" });
    expect(schema.required).toBeUndefined();
    expect(fieldsOf(schema).map((f) => f.kind)).toEqual(["radio", "boolean"]);
  });

  it("another type drops the old type's rules; integer stays integer", () => {
    const form = editableForm(FOOD);
    const name = form.fields[0]!;
    expect(schemaOf({ ...form, fields: [retyped(name, "date")] }).properties?.businessName).toEqual(
      { title: "经营者名称", type: "string", format: "date", description: "与营业执照一致",
        examples: ["深圳小吃有限公司"] });
    expect(schemaOf({ ...form, fields: [form.fields[3]!] }).properties?.seats?.type).toBe("integer");
  });

  it("moves and removes keep the others' order", () => {
    const form = editableForm(FOOD);
    const up = moved(form.fields, 2, -1).map((f) => f.name);
    expect(up.slice(0, 3)).toEqual(["businessName", "areaSqm", "category"]);
    expect(moved(form.fields, 0, -1)).toBe(form.fields);
    const schema = schemaOf({ ...form, fields: form.fields.filter((f) => f.name !== "category") });
    expect(Object.keys(schema.properties ?? {})).not.toContain("category");
    expect(schema.required).toEqual(["businessName"]);
  });
});

describe("the editor's checks and the API's errors", () => {
  it("a title without Chinese, a bad or repeated name, a choice without options", () => {
    const form = editableForm(FOOD);
    form.title = "Form";
    const [first, second] = form.fields as [ReturnType<typeof newField>, ReturnType<typeof newField>];
    first.title = "Name";
    second.name = "businessName";
    second.options = [" "];
    form.fields.push({ ...newField(form), name: "9x", title: "数" });
    const problems = problemsOf(form);
    expect(problems.title).toBe("申请表标题须含中文");
    expect(problems[`${first.key}.title`]).toBe("字段标题须含中文");
    expect(problems[`${second.key}.name`]).toBe("字段名 businessName 重复");
    expect(problems[`${second.key}.options`]).toBe("选择题至少要有一个选项");
    expect(problems[`${form.fields.at(-1)!.key}.name`]).toMatch(/英文字母开头/);
    expect(problemsOf(editableForm(FOOD))).toEqual({});
  });

  it("form_title_missing's field goes to the input it names", () => {
    const form = editableForm(FOOD);
    const category = form.fields[1]!;
    expect(editorKeyOfApiError(form, "item.formSchema.properties.category.title")).toBe(`${category.key}.title`);
    expect(editorKeyOfApiError(form, "item.formSchema.properties.category.enum")).toBe(`${category.key}.options`);
    expect(editorKeyOfApiError(form, "item.formSchema.title")).toBe("title");
    expect(editorKeyOfApiError(form, "item.name")).toBeNull();
  });
});
