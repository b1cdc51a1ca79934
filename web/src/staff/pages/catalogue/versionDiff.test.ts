import { describe, expect, it } from "vitest";
import { applyChanges, diffVersions, labelOf, overlapping, shown, titlesOf } from "./versionDiff";

const PUBLISHED = {
  code: "X1", version: 1, status: "published", name: "社会保障卡申领", promisedLimit: { value: 5, unit: "workdays" },
  channels: ["web", "counter"],
  formSchema: { title: "申领表", type: "object", required: ["mailingAddress"],
                properties: { mailingAddress: { title: "邮寄地址", type: "string" },
                              phone: { title: "电话", type: "string" } } },
};

function draft() {
  return JSON.parse(JSON.stringify({ ...PUBLISHED, version: 2, status: "draft" })) as typeof PUBLISHED
    & { formSchema: { properties: Record<string, unknown> } };
}

describe("diffVersions compares two versions field by field", () => {
  it("nothing but bookkeeping differs: no change", () => {
    expect(diffVersions(PUBLISHED, draft())).toEqual([]);
  });

  it("a changed value, a new form field, a removed one, a changed list", () => {
    const next = draft();
    next.promisedLimit.value = 3;
    next.channels = ["web"];
    next.formSchema.properties.photo = { title: "照片回执号", type: "string" };
    delete (next.formSchema.properties as Record<string, unknown>).phone;
    expect(diffVersions(PUBLISHED, next)).toEqual([
      { path: "promisedLimit.value", kind: "changed", from: 5, to: 3 },
      { path: "channels", kind: "changed", from: ["web", "counter"], to: ["web"] },
      { path: "formSchema.properties.phone", kind: "removed", from: { title: "电话", type: "string" }, to: undefined },
      { path: "formSchema.properties.photo", kind: "added", from: undefined, to: { title: "照片回执号", type: "string" } },
    ]);
  });

  it("the form's fields in another order is a change (the citizen's form follows it)", () => {
    const next = draft();
    next.formSchema.properties = { phone: next.formSchema.properties.phone, mailingAddress: next.formSchema.properties.mailingAddress };
    expect(diffVersions(PUBLISHED, next)).toEqual([
      { path: "formSchema.properties", kind: "reordered", from: ["mailingAddress", "phone"], to: ["phone", "mailingAddress"] }]);
  });

  it("no published version: every field is added", () => {
    const changes = diffVersions(undefined, { name: "新事项", version: 1 });
    expect(changes).toEqual([{ path: "name", kind: "added", from: undefined, to: "新事项" }]);
  });
});

describe("labels in Chinese", () => {
  it("names the field and the form field by its title", () => {
    const titles = titlesOf(PUBLISHED);
    expect(labelOf("promisedLimit.value")).toBe("承诺办结时限 · 数值");
    expect(labelOf("formSchema.properties.mailingAddress.title", titles)).toBe("申请表 · 字段「邮寄地址」 · 标题");
    expect(labelOf("formSchema.properties", titles)).toBe("申请表 · 字段顺序");
    expect(labelOf("formSchema.required")).toBe("申请表 · 必填字段");
    expect(shown(undefined)).toBe("（无）");
    expect(shown(true)).toBe("是");
    expect(shown(["web", "counter"])).toBe("web、counter");
    expect(shown({ title: "照片回执编号", type: "string", examples: ["SZ1"] }))
      .toBe("标题：照片回执编号；类型：文本；示例：SZ1");
    expect(shown([{ name: "制卡审核", days: 7 }])).toBe("（名称：制卡审核；时限（工作日）：7）");
  });
});

describe("applyChanges replays one admin's changes on the draft another left", () => {
  it("their change and ours both survive; overlapping paths are named", () => {
    const base = draft();
    const ours = draft();
    ours.formSchema.properties.photo = { title: "照片回执号", type: "string" };
    ours.promisedLimit.value = 4;
    const theirs = draft();
    theirs.name = "社会保障卡申领（新）";
    theirs.promisedLimit.value = 2;
    const mine = diffVersions(base, ours);
    const merged = applyChanges(theirs, mine);
    expect(merged.name).toBe("社会保障卡申领（新）");
    expect(merged.promisedLimit.value).toBe(4);
    expect(Object.keys(merged.formSchema.properties)).toEqual(["mailingAddress", "phone", "photo"]);
    expect(theirs.promisedLimit.value).toBe(2);  // a copy
    expect(overlapping(mine, diffVersions(base, theirs))).toEqual(["promisedLimit.value"]);
  });

  it("a removal and a new order replay too", () => {
    const base = draft();
    const ours = draft();
    ours.formSchema.properties = { phone: { title: "电话", type: "string" }, mailingAddress: { title: "邮寄地址", type: "string" } };
    delete (ours.formSchema.properties as Record<string, unknown>).mailingAddress;
    const merged = applyChanges(base, diffVersions(base, ours));
    expect(Object.keys(merged.formSchema.properties)).toEqual(["phone"]);
    const reordered = draft();
    reordered.formSchema.properties = { phone: { title: "电话", type: "string" }, mailingAddress: { title: "邮寄地址", type: "string" } };
    expect(Object.keys(applyChanges(base, diffVersions(base, reordered)).formSchema.properties)).toEqual(["phone", "mailingAddress"]);
  });
});
