import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import SchemaForm from "./SchemaForm.vue";
import { fieldOfApiError, fieldsOf, type JsonSchema } from "./schemaForm";

const SCHEMA: JsonSchema = {
  type: "object", required: ["address", "category"],
  properties: {
    address: { type: "string", title: "经营地址", description: "填写到门牌号", minLength: 5 },
    category: { type: "string", title: "经营项目", enum: ["食品销售", "餐饮服务"] },
    level: { type: "string", title: "办学层次", enum: ["幼儿园", "小学", "初中", "高中", "职业培训"] },
    seats: { type: "integer", title: "座位数" },
    accidentDate: { type: "string", format: "date", title: "事故日期" },
    agree: { type: "boolean", title: "同意公开" },
    contact: { type: "object", title: "联系人", properties: { phone: { type: "string", title: "电话" } } },
  },
};

function render(errors: Record<string, string> = {}, values = {}) {
  return mount(SchemaForm, { props: { fields: fieldsOf(SCHEMA), values, errors } });
}

describe("SchemaForm renders the schema as labelled native inputs", () => {
  it("each input is named by its label and described by its hint", () => {
    const form = render();
    const address = form.get("#form-address");
    expect(form.get("label[for=form-address]").text()).toContain("经营地址");
    expect(address.attributes("aria-describedby")).toBe("form-address-hint");
    expect(form.get("#form-address-hint").text()).toBe("填写到门牌号");
    expect(address.attributes("aria-invalid")).toBeUndefined();
    expect(form.findAll("input[type=radio][name=form-category]").map((r) => (r.element as HTMLInputElement).value))
      .toEqual(["食品销售", "餐饮服务"]);
    expect(form.get("fieldset legend").text()).toContain("经营项目");
    expect(form.findAll("#form-level option").map((o) => o.text()))
      .toEqual(["请选择", "幼儿园", "小学", "初中", "高中", "职业培训"]);
    expect(form.get("#form-seats").attributes("inputmode")).toBe("numeric");
    expect(form.get("#form-accidentDate").attributes("type")).toBe("date");
    expect(form.get("#form-agree").attributes("type")).toBe("checkbox");
    expect(form.get("label[for=form-contact-phone]").text()).toBe("电话");
  });

  it("an error, the browser's or the API's, is shown at its input, which it describes", () => {
    const fields = fieldsOf(SCHEMA);
    const path = fieldOfApiError(fields, "form.contact.phone") as string;
    const form = mount(SchemaForm, { props: { fields, values: {}, errors: {
      address: "经营地址至少 5 个字", [path]: "文本含有控制字符或格式字符" } } });
    const address = form.get("#form-address");
    expect(address.attributes("aria-invalid")).toBe("true");
    expect(address.attributes("aria-describedby")).toBe("form-address-hint form-address-error");
    expect(form.get("#form-address-error").text()).toBe("经营地址至少 5 个字");
    const phone = form.get("#form-contact-phone");
    expect(phone.attributes("aria-invalid")).toBe("true");
    expect(form.get(`#${phone.attributes("aria-describedby")}`).text()).toBe("文本含有控制字符或格式字符");
  });

  it("what is typed or chosen is reported by its path; blur asks for a check", async () => {
    const form = render();
    await form.get("#form-contact-phone").setValue("13800138000");
    await form.get("input[value=餐饮服务]").setValue(true);
    await form.get("#form-agree").setValue(true);
    await form.get("#form-address").trigger("blur");
    expect(form.emitted("change")).toEqual([
      ["contact.phone", "13800138000"], ["category", "餐饮服务"], ["agree", true]]);
    expect(form.emitted("blur")).toEqual([["address"]]);
  });

  it("shows the values it is given", () => {
    const form = render({}, { address: "深圳市南山区", category: "餐饮服务", contact: { phone: "138" } });
    expect((form.get("#form-address").element as HTMLInputElement).value).toBe("深圳市南山区");
    expect((form.get("input[value=餐饮服务]").element as HTMLInputElement).checked).toBe(true);
    expect((form.get("#form-contact-phone").element as HTMLInputElement).value).toBe("138");
  });

  it("a value from base data carries its source; a locked one is read-only with the reason", () => {
    const form = mount(SchemaForm, { props: {
      fields: fieldsOf(SCHEMA), errors: {},
      values: { address: "深圳市南山区粤海街道科苑路1号", category: "餐饮服务" },
      sources: { address: "来自法人库", category: "来自法人库" },
      locked: { address: "此项由法人库提供，不能修改", category: "此项由法人库提供，不能修改" } } });
    const address = form.get("#form-address");
    expect(address.attributes("readonly")).toBeDefined();
    expect(address.attributes("aria-describedby")).toBe("form-address-source form-address-hint form-address-locked");
    expect(form.get("#form-address-source").text()).toBe("来自法人库");
    expect(form.get("#form-address-locked").text()).toBe("此项由法人库提供，不能修改");
    expect(form.get("label[for=form-address]").text()).not.toContain("来自法人库");   // the label stays the title
    // a locked choice: the one given stays chosen, the others cannot be picked
    const radios = form.findAll("input[name=form-category]").map((r) => r.element as HTMLInputElement);
    expect(radios.map((r) => [r.value, r.checked, r.disabled])).toEqual([["食品销售", false, true], ["餐饮服务", true, false]]);
    expect(form.get("#form-seats").attributes("readonly")).toBeUndefined();
  });
});
