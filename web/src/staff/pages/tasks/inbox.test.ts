import { describe, expect, it } from "vitest";
import { caseNoOf, changeBySomeoneElse, dueness, filtersFromQuery, queryFromFilters, regionDay,
         shortcutOf, step, type Task } from "./inbox";
import { allowed, duration, formRows, formTitles } from "./caseFile";

const task = (over: Partial<Task> = {}): Task => ({
  taskId: "440300202612030000001X-R1-SCJG", kind: "review", caseNo: "440300202612030000001X",
  itemCode: "X", dept: "SCJG", deadline: "2026-12-10T09:00:00+08:00", state: "open",
  createdAt: "2026-12-01T09:00:00+08:00", ...over });

describe("dueness", () => {
  const now = new Date("2026-12-03T10:00:00+08:00");
  it("is overdue once the deadline passed or the sweep marked it", () => {
    expect(dueness(task({ deadline: "2026-12-03T09:59:00+08:00" }), now)).toBe("overdue");
    expect(dueness(task({ overdue: "2026-12-02T00:00:00+00:00" }), now)).toBe("overdue");
  });
  it("is due today when the deadline falls on today's date in Shanghai", () => {
    expect(dueness(task({ deadline: "2026-12-03T23:30:00+08:00" }), now)).toBe("today");
    // 16:30 UTC on the 3rd is 00:30 on the 4th in Shanghai: not today.
    expect(dueness(task({ deadline: "2026-12-03T16:30:00+00:00" }), now)).toBe("later");
    expect(regionDay(new Date("2026-12-03T16:30:00Z"))).toBe("2026-12-04");
  });
});

describe("filters in the URL", () => {
  it("keeps only the API's terms and values", () => {
    expect(filtersFromQuery({ state: "special", item: " A1 ", overdue: "true", mine: "true",
                              x: "1" })).toEqual({ state: "special", item: "A1", overdue: "true", mine: "true" });
    expect(filtersFromQuery({ state: "decided", overdue: "yes", mine: "false" })).toEqual({});
    expect(queryFromFilters({ state: "open", item: undefined, mine: "true" }))
      .toEqual({ state: "open", mine: "true" });
  });
});

describe("shortcuts", () => {
  const key = (k: string, target: Partial<HTMLElement & { type: string }> | null = null,
               mods: Partial<KeyboardEvent> = {}) =>
    shortcutOf({ key: k, ctrlKey: false, altKey: false, metaKey: false, isComposing: false,
                 target: target as EventTarget | null, ...mods });
  it("names next, previous, open and decide", () => {
    expect(["j", "N", "k", "p", "o", "d"].map((k) => key(k, { tagName: "BODY" })))
      .toEqual(["next", "next", "previous", "previous", "open", "decide"]);
    expect(key("x")).toBeNull();
  });
  it("never fires while typing in a field or with a modifier", () => {
    expect(key("j", { tagName: "TEXTAREA" })).toBeNull();
    expect(key("d", { tagName: "INPUT", type: "text" })).toBeNull();
    expect(key("d", { tagName: "SELECT" })).toBeNull();
    expect(key("d", { tagName: "DIV", isContentEditable: true })).toBeNull();
    expect(key("j", { tagName: "INPUT", type: "checkbox" })).toBe("next");
    expect(key("d", { tagName: "BODY" }, { ctrlKey: true })).toBeNull();
    expect(key("j", { tagName: "BODY" }, { isComposing: true })).toBeNull();
  });
  it("steps within the list", () => {
    expect([step(-1, 3, 1), step(-1, 3, -1), step(2, 3, 1), step(0, 3, -1), step(0, 0, 1)])
      .toEqual([0, 2, 2, 0, -1]);
  });
});

describe("what someone else did", () => {
  const me = "staff:me";
  it("says claimed, released, decided, cancelled or gone — never what I did", () => {
    expect(changeBySomeoneElse(task(), task({ claimedBy: "staff:b" }), me)).toEqual({ kind: "claimed", by: "staff:b", byName: null });
    expect(changeBySomeoneElse(task(), task({ claimedBy: "staff:b", claimedByName: "吴审查" }), me))
      .toEqual({ kind: "claimed", by: "staff:b", byName: "吴审查" });
    expect(changeBySomeoneElse(task(), task({ claimedBy: me }), me)).toBeNull();
    expect(changeBySomeoneElse(task({ claimedBy: "staff:b" }), task(), me)).toEqual({ kind: "released" });
    expect(changeBySomeoneElse(task({ claimedBy: me }), task(), me)).toBeNull();
    expect(changeBySomeoneElse(task(), task({ state: "decided", claimedBy: "staff:b" }), me)).toEqual({ kind: "decided" });
    expect(changeBySomeoneElse(task(), task({ state: "decided", claimedBy: me }), me)).toBeNull();
    expect(changeBySomeoneElse(task(), task({ state: "cancelled" }), me)).toEqual({ kind: "cancelled" });
    expect(changeBySomeoneElse(task(), undefined, me)).toEqual({ kind: "gone" });
    expect(changeBySomeoneElse(task(), task(), me)).toBeNull();
  });
  it("finds a task's case number", () => {
    expect(caseNoOf("440300202612030000001X-R1-SCJG")).toBe("440300202612030000001X");
    expect(caseNoOf("440300202612030000001X-A1")).toBe("440300202612030000001X");
  });
});

describe("the case file", () => {
  it("labels the form with the schema's titles, nested one level in", () => {
    const schema = { properties: { name: { title: "名称" }, place: { title: "场所",
      properties: { area: { title: "面积" } } }, ok: { title: "承诺" } } };
    expect(formRows(schema, { ok: true, extra: "x", place: { area: 40 }, name: "小吃店" })).toEqual([
      { label: "名称", value: "小吃店", depth: 0, path: "name" }, { label: "场所", value: "", depth: 0, path: "place" },
      { label: "面积", value: "40", depth: 1, path: "place.area" }, { label: "承诺", value: "是", depth: 0, path: "ok" },
      { label: "extra", value: "x", depth: 0, path: "extra" }]);
  });
  it("names the form's fields by their titles, for the rules that read them", () => {
    expect(formTitles({ properties: { payout: { title: "发放方式" }, note: {} } })).toEqual({ payout: "发放方式", note: "note" });
    expect(formTitles(undefined)).toEqual({});
  });
  it("offers only what the role may do in the task's state", () => {
    const reviewer = { sub: "staff:a", role: "reviewer", departments: ["SCJG"], leads: [] };
    expect(allowed(reviewer, task(), 1)).toEqual({ act: true, claim: true, release: false,
      assign: false, decide: true, startSpecial: true, endSpecial: false });
    expect(allowed(reviewer, task({ claimedBy: "staff:b" }), 1)).toMatchObject({ claim: false,
      release: false, decide: false, startSpecial: false });
    expect(allowed({ ...reviewer, leads: ["SCJG"] }, task({ claimedBy: "staff:b" }), 1)).toMatchObject({
      release: true, assign: true, decide: false });
    expect(allowed(reviewer, task({ state: "special", claimedBy: "staff:a" }), 1)).toMatchObject({
      decide: false, endSpecial: true, release: true });
    expect(allowed(reviewer, task({ kind: "acceptance" }), 1).act).toBe(false);
    expect(allowed({ ...reviewer, role: "clerk" }, task({ kind: "acceptance" }), 0)).toMatchObject({
      decide: true, startSpecial: false });
    expect(allowed(reviewer, task({ dept: "WSJK" }), 1).act).toBe(false);
    expect(allowed(reviewer, task({ state: "decided" }), 1)).toMatchObject({ claim: false, decide: false });
    expect(allowed(reviewer, task(), 0).startSpecial).toBe(false);
  });
  it("writes working minutes as hours and minutes", () => {
    expect(duration(125)).toEqual({ h: 2, m: 5 });
    expect(duration(-61)).toEqual({ h: 1, m: 1 });
  });
});
