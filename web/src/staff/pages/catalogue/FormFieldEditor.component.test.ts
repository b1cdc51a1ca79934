import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import { reactive } from "vue";
import { createI18n } from "vue-i18n";
import catalogue from "../../messages/zh-CN/catalogue";
import FormFieldEditor from "./FormFieldEditor.vue";
import { editableForm, schemaOf, type EditableField, type EditableForm } from "./formEditor";

function render(errorsOf: (form: EditableForm) => Record<string, string> = () => ({})) {
  const form = reactive(editableForm({
    title: "申领表", type: "object", required: ["a"],
    properties: { a: { title: "甲", type: "string" }, b: { title: "乙", type: "number" } },
  }));
  const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": { catalogue } } });
  const wrapper = mount(FormFieldEditor, { props: { form, errors: errorsOf(form) },
                                           global: { plugins: [i18n] }, attachTo: document.body });
  return { form, wrapper };
}

describe("FormFieldEditor edits the form's fields in place", () => {
  it("every input is labelled; a problem describes its input", () => {
    const { form, wrapper } = render((f) => ({ [`${f.fields[0]!.key}.title`]: "字段标题须含中文" }));
    const [first, second] = form.fields as [EditableField, EditableField];
    expect(wrapper.get(`label[for=fe-${first.key}-title]`).text()).toBe("标题（中文）");
    const input = wrapper.get(`#fe-${first.key}-title`);
    expect(input.attributes("aria-invalid")).toBe("true");
    expect(input.attributes("aria-describedby")).toBe(`fe-${first.key}-title-error`);
    expect(wrapper.get(`#fe-${first.key}-title-error`).text()).toBe("字段标题须含中文");
    expect(wrapper.get(`#fe-${second.key}-title`).attributes("aria-invalid")).toBeUndefined();
    wrapper.unmount();
  });

  it("adds, retypes, moves and removes fields; the schema follows", async () => {
    const { form, wrapper } = render();
    await wrapper.get("#fe-add").trigger("click");
    expect(form.fields).toHaveLength(3);
    const added = form.fields[2]!;
    await wrapper.get(`#fe-${added.key}-title`).setValue("丙");
    await wrapper.get(`#fe-${added.key}-type`).setValue("choice");
    await wrapper.get(`#fe-${added.key}-options`).setValue("是\n否");
    await wrapper.get(`#fe-${added.key}-up`).trigger("click");
    expect(Object.keys(schemaOf(form).properties ?? {})).toEqual(["a", "field3", "b"]);
    expect(schemaOf(form).properties?.field3).toEqual({ title: "丙", type: "string", enum: ["是", "否"] });
    await wrapper.findAll("button").filter((b) => b.attributes("aria-label") === "删除字段 甲")[0]!.trigger("click");
    expect(Object.keys(schemaOf(form).properties ?? {})).toEqual(["field3", "b"]);
    expect(schemaOf(form).required).toBeUndefined();
    expect(wrapper.emitted("change")?.length).toBeGreaterThan(3);
    wrapper.unmount();
  });
});
