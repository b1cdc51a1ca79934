import { describe, expect, it } from "vitest";
import type { Schemas } from "../../../lib/api";
import { clockFigures, currentTasks, localTime, progress, rateable, requestedMaterials, settling,
         withdrawable, workingDays } from "./caseView";

const base: Schemas["Case"] = {
  caseNo: "4403002026120400000011", status: 6, statusLabel: "补正开始", itemCode: "X", itemVersion: 1,
  applicant: { type: "legal", name: "深圳小吃有限公司", idType: "001", idNumber: "91440300MA5FXK7Q3T" },
  createdAt: "2026-12-03T20:40:17.852910+00:00",
};

describe("the case as a person follows it", () => {
  it("counts working minutes as working days of 480 minutes", () => {
    expect(workingDays(2880)).toBe(6);
    expect(workingDays(600)).toBe(1.3);
    expect(workingDays(-30)).toBe(0);
    expect(workingDays(null)).toBeNull();
  });

  it("asks for the supplement's materials in 6 and the ones to follow in 12, nothing otherwise", () => {
    expect(requestedMaterials({ ...base, supplement: { materials: ["食品安全管理制度文本", 3] } }))
      .toEqual(["食品安全管理制度文本"]);
    expect(requestedMaterials({ ...base, status: 12, pendingMaterials: ["健康证明"] })).toEqual(["健康证明"]);
    expect(requestedMaterials({ ...base, status: 8, supplement: { materials: ["x"] } })).toEqual([]);
  });

  it("lets the applicant withdraw an open case and rate a closed one only", () => {
    expect([1, 3, 6, 8, 9].every(withdrawable)).toBe(true);
    expect([2, 11, 13, 14, 15].some(withdrawable)).toBe(false);
    expect([11, 12, 13, 4, 5].every(rateable)).toBe(true);
    expect([2, 8, 14, 15].some(rateable)).toBe(false);
  });

  it("keeps the statuses and the clock's stops of the timeline, in order, and drops staff bookkeeping", () => {
    const steps = progress([
      { at: "2026-12-03T20:40:19.954932Z", action: "status", actor: "a", actorRole: "reviewer", channel: "api",
        status: 6, statusLabel: "补正开始", opinion: "请补充管理制度" },
      { at: "2026-12-03T20:40:19.000000Z", action: "clock_paused", actor: "system", actorRole: "system",
        channel: "system", detail: { kind: "supplement" } },
      { at: "2026-12-03T20:40:18Z", action: "task_claimed", actor: "a", actorRole: "staff", channel: "system" },
      { at: "2026-12-03T20:40:17Z", action: "status", actor: "c", actorRole: "applicant", channel: "web",
        status: 1, statusLabel: "已接件" },
    ]);
    expect(steps.map((s) => [s.kind, s.label, s.pauseKind])).toEqual([
      ["status", "已接件", undefined], ["paused", "", "supplement"], ["status", "补正开始", undefined]]);
    expect(steps[2]!.opinion).toBe("请补充管理制度");
  });

  it("names the tasks under way and the clock in working days", () => {
    const task = (state: Schemas["Task"]["state"]) => ({ taskId: state, kind: "review" as const, caseNo: "c",
      itemCode: "i", dept: "SCJG", deadline: "", state, createdAt: "" });
    expect(currentTasks({ ...base, tasks: [task("decided"), task("supplement"), task("cancelled")] })
      .map((t) => t.taskId)).toEqual(["supplement"]);
    const clock = clockFigures({ running: false, elapsedMinutes: 960, pausedMinutes: 240, pauses: [],
                                 promisedRemainingMinutes: 2880, statutoryRemainingMinutes: 10080 });
    expect(clock).toMatchObject({ running: false, elapsed: 2, paused: 0.5, promisedLeft: 6, statutoryLeft: 21 });
  });

  it("shows times in the region's zone", () => {
    expect(localTime("2026-12-03T20:40:17Z")).toBe("2026-12-04 04:40");
  });
});

describe("a case checked by its rules (秒批)", () => {
  const check: Schemas["RuleCheck"] = {
    outcome: "approved", ruleSet: "X@v1", checkedAt: "2026-12-05T08:00:01Z", notes: [],
    trace: [{ id: "age", name: "年满80周岁", expression: "population.age >= 80", inputs: { "population.age": 84 }, held: true }],
  };

  it("is followed while the system is still on it: not yet started, or approved and not yet concluded", () => {
    expect(settling({ ...base, status: 1, workflow: "queued" })).toBe(true);
    expect(settling({ ...base, status: 3, workflow: "instant", ruleCheck: check })).toBe(true);
    const concluded = { at: "2026-12-05T08:00:03Z", action: "status", status: 11, statusLabel: "办结（准予）",
                        actor: "system", actorRole: "system", channel: "system" };
    expect(settling({ ...base, status: 11, workflow: "instant", ruleCheck: check })).toBe(true);   // timeline behind
    expect(settling({ ...base, status: 11, workflow: "instant", ruleCheck: check, timeline: [concluded] })).toBe(false);
    expect(settling({ ...base, status: 1, workflow: "started", ruleCheck: { ...check, outcome: "referred" } })).toBe(false);
    expect(settling({ ...base, status: 1, workflow: "started" })).toBe(false);
  });

  it("shows the check in the progress, with the rules that did not hold", () => {
    const steps = progress([
      { at: "2026-12-05T08:00:00Z", action: "status", status: 1, statusLabel: "已接件", actor: "p", actorRole: "applicant", channel: "web" },
      { at: "2026-12-05T08:00:01Z", action: "rules_checked", actor: "system", actorRole: "system", channel: "system",
        detail: { outcome: "referred", ruleSet: "X@v1", notes: [], trace: [
          { ...check.trace[0], held: false, why: "条件不满足" },
          { id: "resident", name: "户籍在本市", expression: "x", inputs: {}, held: true }] } },
      { at: "2026-12-05T08:00:02Z", action: "task_created", actor: "system", actorRole: "system", channel: "system" },
    ]);
    expect(steps.map((s) => [s.kind, s.outcome ?? s.label, s.failed ?? []])).toEqual([
      ["status", "已接件", []], ["rules", "referred", ["年满80周岁"]]]);
  });
});
