import { beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { ref } from "vue";

const profile = ref<Record<string, unknown> | null>(null);
vi.mock("./auth", () => ({ useAuth: () => ({ get profile() { return profile.value; } }) }));

const { companiesOf, isCitizenId, isUscc, subjectType, useActingFor } = await import("./actingFor");

const AGENT = { sub: "person:chen-dai", acts_for: [{ uscc: "91440300MA5FXK7Q3T", name: "深圳小吃有限公司" }] };

describe("person or company, by the ID number's check character", () => {
  it("a 公民身份号码 and a 统一社会信用代码", () => {
    expect(isCitizenId("11010519491231002X")).toBe(true);
    expect(isCitizenId("110105194912310021")).toBe(false);
    expect(isUscc("91440300MA5FXK7Q3T")).toBe(true);
    expect(isUscc("91440300MA5FXK7Q3U")).toBe(false);
    expect(subjectType("440305198807150023")).toBe("natural");
    expect(subjectType("91440300MA5FXK7Q3T")).toBe("legal");
    expect(subjectType(undefined)).toBeNull();
    expect(subjectType("staff")).toBeNull();
  });

  it("the acts_for claim, ignoring what is not a company", () => {
    expect(companiesOf([{ uscc: "X", name: "甲" }, { uscc: 1 }, null, "Y"])).toEqual([{ uscc: "X", name: "甲" }]);
    expect(companiesOf(undefined)).toEqual([]);
  });
});

describe("the company an agent acts for", () => {
  beforeEach(() => {
    sessionStorage.clear();
    setActivePinia(createPinia());
  });

  it("is chosen among the claim's companies and remembered for the session", () => {
    profile.value = AGENT;
    const acting = useActingFor();
    expect(acting.company).toBeNull();
    acting.choose("91440300MA5FXK7Q3T");
    expect(acting.company?.name).toBe("深圳小吃有限公司");
    setActivePinia(createPinia());                 // the page reloaded
    expect(useActingFor().chosen).toBe("91440300MA5FXK7Q3T");
  });

  it("never a company the claim does not name, and not another user's choice", () => {
    profile.value = AGENT;
    const acting = useActingFor();
    acting.choose("91440300MA5FXK7Q3X");
    expect(acting.chosen).toBeNull();
    acting.choose("91440300MA5FXK7Q3T");
    profile.value = { sub: "person:zhang-san" };
    setActivePinia(createPinia());
    expect(useActingFor().chosen).toBeNull();
  });
});
