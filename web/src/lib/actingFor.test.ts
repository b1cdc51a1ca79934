import { beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { reactive, ref } from "vue";

const profile = ref<Record<string, unknown> | null>(null);
vi.mock("./auth", () => ({ useAuth: () => ({ get profile() { return profile.value; } }) }));
const route = reactive<{ query: Record<string, string> }>({ query: {} });
const replaced: unknown[] = [];
vi.mock("vue-router", () => ({ useRoute: () => route, useRouter: () => ({ replace: (to: unknown) => replaced.push(to) }) }));

const { companiesOf, isCitizenId, isUscc, subjectType, useActingFor, useParty } = await import("./actingFor");

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

describe("the party a page shows", () => {
  beforeEach(() => {
    sessionStorage.clear();
    setActivePinia(createPinia());
    profile.value = AGENT;
    route.query = {};
    replaced.length = 0;
  });

  it("is the session's choice where the address names none", () => {
    useActingFor().choose("91440300MA5FXK7Q3T");
    const party = useParty();
    expect(party.chosen.value).toBe("91440300MA5FXK7Q3T");
    expect(party.forQuery.value).toEqual({ for: "91440300MA5FXK7Q3T" });
  });

  it("is the address's ?for= where it names one: a company acted for, else oneself", () => {
    useActingFor().choose("91440300MA5FXK7Q3T");
    route.query = { for: "" };
    expect(useParty().forQuery.value).toEqual({});
    route.query = { for: "91440300MA5FXK7Q3X" };     // not a company the claim names
    expect(useParty().chosen.value).toBe("");
  });

  it("is chosen into the address and the session, or the session only", () => {
    route.query = { page: "2" };
    useParty().choose("91440300MA5FXK7Q3T");
    expect(replaced).toEqual([{ query: { page: "2", for: "91440300MA5FXK7Q3T" } }]);
    expect(useActingFor().chosen).toBe("91440300MA5FXK7Q3T");
    route.query = { page: "2", for: "91440300MA5FXK7Q3T" };
    useParty().choose("");
    expect(replaced[1]).toEqual({ query: { page: "2" } });
    expect(useActingFor().chosen).toBeNull();
    useParty({ address: false }).choose("91440300MA5FXK7Q3T");
    expect(replaced).toHaveLength(2);
    expect(useActingFor().chosen).toBe("91440300MA5FXK7Q3T");
  });
});
