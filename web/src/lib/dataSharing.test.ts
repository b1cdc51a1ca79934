import { describe, expect, it } from "vitest";
import type { Schemas } from "./api";
import {
  basisOf, changedFields, dataMaterials, lockedFields, prefilledValues, ruleCheckOfEntry, ruleSummary,
  shownValue, splitPath, termField, withPrefilled,
} from "./dataSharing";
import zh from "./messages/zh-CN/data";
import en from "./messages/en/data";

const PREFILL: Schemas["Prefill"] = {
  itemCode: "FOOD", itemVersion: 1,
  fields: {
    businessName: { value: "深圳小吃有限公司", source: "legalPerson.name", sourceName: "法人库", editable: false },
    address: { value: "深圳市南山区粤海街道科苑路1号", source: "legalPerson.registeredAddress", sourceName: "法人库", editable: true },
    capital: { value: 50, source: "legalPerson.registeredCapitalWan", sourceName: "法人库", editable: true },
    scope: { value: ["餐饮服务"], source: "legalPerson.scope", sourceName: "法人库", editable: true },
  },
  materials: [{ name: "营业执照", registry: "legalPerson", sourceName: "法人库", sha256: "ab", fetchedAt: "2026-12-05T08:00:00Z" }],
  notes: [],
  token: "t0ken",
};

const CHECK: Schemas["RuleCheck"] = {
  outcome: "referred", ruleSet: "ELD@v1", checkedAt: "2026-12-05T08:00:00Z",
  trace: [
    { id: "age", name: "年满80周岁", expression: "population.age >= 80", inputs: { "population.age": 76 }, held: false, why: "条件不满足" },
    { id: "registered", name: "户籍状态正常", expression: "population.status == \"正常\"", inputs: { "population.status": "正常" }, held: true },
  ],
  notes: [],
};

describe("the words of base data", () => {
  it("splits a source's path at its first dot", () => {
    expect(splitPath("population.registeredAddress")).toEqual({ source: "population", field: "registeredAddress" });
    expect(splitPath("form.contact.phone")).toEqual({ source: "form", field: "contact.phone" });
    expect(splitPath("population")).toBeNull();
    expect(splitPath(".x")).toBeNull();
  });

  it("reads a consent's lines: a registry's field, a material a record stands in for, or text", () => {
    expect(termField("legalPerson.name")).toEqual({ kind: "field", source: "legalPerson", field: "name" });
    expect(termField("population（代替材料：户口簿）")).toEqual({ kind: "material", registry: "population", material: "户口簿" });
    expect(termField("其他说明")).toEqual({ kind: "text", text: "其他说明" });
  });

  it("shows a value a rule read: none, yes or no, text; a whole record never", () => {
    expect(shownValue(null)).toEqual({ kind: "none" });
    expect(shownValue("")).toEqual({ kind: "none" });
    expect(shownValue(false)).toEqual({ kind: "bool", value: false });
    expect(shownValue(76)).toEqual({ kind: "text", text: "76" });
    expect(shownValue(["a", "b"])).toEqual({ kind: "text", text: "a、b" });
    expect(shownValue([])).toEqual({ kind: "none" });
    expect(shownValue({ name: "王桂英" })).toEqual({ kind: "text", text: "…" });
  });

  it("has every Chinese message in English too, and no other", () => {
    type Tree = { [key: string]: string | Tree };
    const keys = (tree: Tree, prefix = ""): string[] => Object.entries(tree).flatMap(([k, v]) =>
      typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)).sort();
    expect(keys(en as Tree)).toEqual(keys(zh as Tree));
  });
});

describe("a rules check (秒批)", () => {
  it("tells the rules that held from those that did not, in the version's order", () => {
    const summary = ruleSummary(CHECK);
    expect(summary.outcome).toBe("referred");
    expect(summary.total).toBe(2);
    expect(summary.failed.map((s) => s.id)).toEqual(["age"]);
    expect(summary.held.map((s) => s.id)).toEqual(["registered"]);
  });

  it("is read from its timeline entry, and from no other", () => {
    const entry = { action: "rules_checked", detail: { outcome: "approved", ruleSet: "ELD@v1", trace: [CHECK.trace[1]], notes: [] } };
    expect(ruleCheckOfEntry(entry)?.outcome).toBe("approved");
    expect(ruleCheckOfEntry(entry)?.held.map((s) => s.name)).toEqual(["户籍状态正常"]);
    expect(ruleCheckOfEntry({ action: "status", detail: entry.detail })).toBeNull();
    expect(ruleCheckOfEntry({ action: "rules_checked", detail: { outcome: "maybe", trace: [] } })).toBeNull();
    expect(ruleCheckOfEntry({ action: "rules_checked", detail: null })).toBeNull();
  });
});

describe("a query's basis", () => {
  it("is the holder's consent, a law, or said as it is", () => {
    expect(basisOf("consent:C1234")).toEqual({ kind: "consent", consentId: "C1234" });
    expect(basisOf("law:《社会救助暂行办法》第十一条")).toEqual({ kind: "law", citation: "《社会救助暂行办法》第十一条" });
    expect(basisOf("consent:")).toEqual({ kind: "other", text: "consent:" });
    expect(basisOf(null)).toBeNull();
  });
});

describe("a prefill (免填)", () => {
  it("gives the form its values as the inputs hold them: numbers as text, no lists", () => {
    expect(prefilledValues(PREFILL)).toEqual({ businessName: "深圳小吃有限公司",
      address: "深圳市南山区粤海街道科苑路1号", capital: "50" });
  });

  it("names the fields the applicant may not change, and those changed since", () => {
    expect(lockedFields(PREFILL)).toEqual(["businessName"]);
    expect(lockedFields(null)).toEqual([]);
    const values = { businessName: "深圳小吃有限公司", address: "深圳市福田区福华路1号", capital: "50" };
    expect(changedFields(PREFILL, values)).toEqual(["address", "scope"]);
    expect(changedFields(PREFILL, { ...values, address: " 深圳市南山区粤海街道科苑路1号 " })).toEqual(["scope"]);
  });

  it("sends a value left as given as it was given, a locked one always, a changed one as typed", () => {
    const form = { businessName: "改过的名字", address: "深圳市福田区福华路1号", capital: 50, category: "餐饮服务" };
    const values = { businessName: "改过的名字", address: "深圳市福田区福华路1号", capital: "50" };
    expect(withPrefilled(form, PREFILL, values)).toEqual({ businessName: "深圳小吃有限公司",
      address: "深圳市福田区福华路1号", capital: 50, category: "餐饮服务" });
    expect(withPrefilled(form, null, values)).toBe(form);
  });

  it("lists the materials a registry's record stands in for", () => {
    expect([...dataMaterials(PREFILL)]).toEqual([["营业执照", "legalPerson"]]);
    expect(dataMaterials(undefined).size).toBe(0);
  });
});
