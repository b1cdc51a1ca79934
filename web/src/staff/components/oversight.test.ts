import { describe, expect, it } from "vitest";
import {
  acrossDepartments, cardActions, everyPage, evidenceLines, licenseActions,
  ratingActions, taskStep, type Card, type Rating,
} from "./oversight";

const lead = { role: "reviewer", departments: ["SCJG"], leads: ["SCJG"] };
const reviewer = { role: "reviewer", departments: ["SCJG"], leads: [] };
const otherLead = { role: "reviewer", departments: ["WSJK"], leads: ["WSJK"] };
const supervisor = { role: "supervisor", departments: [], leads: [] };

function card(fields: Partial<Card>): Card {
  return { cardId: "c~task.x~yellow", caseNo: "4403002026120100000001", itemCode: "X", scope: "task",
           level: "yellow", dept: "SCJG", dueAt: "2026-12-01T10:00:00Z", issuedAt: "2026-12-01T10:00:00Z",
           state: "issued", updatedAt: "2026-12-01T10:00:00Z", updatedBy: "sweep", ...fields } as Card;
}

function rating(state: string | null, round = 1): Rating {
  return { ratingId: "r", caseNo: "4403002026120100000001", itemCode: "X", scope: "case", dept: "SCJG",
           rater: "applicant", level: 1, levelLabel: "非常不满意", channel: "web", at: "2026-12-01T10:00:00Z",
           excluded: false,
           rectification: state === null ? null : {
             state, callbackDue: "2026-12-02T10:00:00Z", rectifyDue: "2026-12-08T10:00:00Z", late: [],
             round, updatedAt: "2026-12-01T10:00:00Z", updatedBy: "x" } } as Rating;
}

describe("cardActions", () => {
  it("lets the department acknowledge an issued card, and only its own", () => {
    expect(cardActions(card({}), reviewer).acknowledge).toBe(true);
    expect(cardActions(card({ state: "acknowledged" }), reviewer).acknowledge).toBe(false);
    expect(cardActions(card({}), otherLead).acknowledge).toBe(false);
    expect(cardActions(card({}), supervisor).acknowledge).toBe(false);
  });

  it("lets only the lead appeal a standing yellow or red card, once, never a warning", () => {
    expect(cardActions(card({}), lead).appeal).toBe(true);
    expect(cardActions(card({ level: "red", state: "acknowledged" }), lead).appeal).toBe(true);
    expect(cardActions(card({}), reviewer).appeal).toBe(false);
    expect(cardActions(card({ level: "warning" }), lead).appeal).toBe(false);
    expect(cardActions(card({ state: "resolved" }), lead).appeal).toBe(false);
    expect(cardActions(card({ appeal: { reason: "r", by: "l", at: "2026-12-01T10:00:00Z" } }), lead).appeal)
      .toBe(false);
    expect(cardActions(card({ dept: "WSJK" }), lead).appeal).toBe(false);
  });

  it("lets a supervisor decide an appeal not yet decided", () => {
    const appealed = card({ appeal: { reason: "r", by: "l", at: "2026-12-01T10:00:00Z" } });
    expect(cardActions(appealed, supervisor).decide).toBe(true);
    expect(cardActions(appealed, lead).decide).toBe(false);
    expect(cardActions(card({ appeal: { reason: "r", by: "l", at: "2026-12-01T10:00:00Z",
                                        decision: "rejected" } }), supervisor).decide).toBe(false);
    expect(cardActions(card({}), supervisor).decide).toBe(false);
  });
});

describe("ratingActions", () => {
  it("offers each step of the rectification only in the state it follows", () => {
    expect(ratingActions(rating("open"), reviewer)).toMatchObject({ callback: true, rectify: false, contest: false });
    expect(ratingActions(rating("called_back"), reviewer)).toMatchObject({ callback: false, rectify: true });
    for (const state of ["rectified", "review_requested", "contested", "closed", "voided"]) {
      expect(ratingActions(rating(state), lead)).toMatchObject({ callback: false, rectify: false, contest: false });
    }
    expect(ratingActions(rating(null), lead)).toMatchObject({ callback: false, rectify: false, contest: false });
  });

  it("lets the lead contest while the department owes work, not once a re-review sent it back", () => {
    expect(ratingActions(rating("open"), lead).contest).toBe(true);
    expect(ratingActions(rating("called_back"), lead).contest).toBe(true);
    expect(ratingActions(rating("called_back", 2), lead).contest).toBe(false);
    expect(ratingActions(rating("open"), otherLead)).toMatchObject({ callback: false, contest: false });
  });

  it("leaves re-reviews and contests to a supervisor", () => {
    expect(ratingActions(rating("review_requested"), supervisor)).toMatchObject({ review: true, decideContest: false });
    expect(ratingActions(rating("contested"), supervisor)).toMatchObject({ review: false, decideContest: true });
    expect(ratingActions(rating("open"), supervisor)).toMatchObject({ callback: false, review: false });
    expect(ratingActions(rating("review_requested"), lead).review).toBe(false);
  });
});

describe("licenses and cases", () => {
  it("offers the license changes its status allows", () => {
    expect(licenseActions("valid")).toEqual(["suspend", "revoke", "reissue"]);
    expect(licenseActions("suspended")).toEqual(["resume", "revoke"]);
    expect(licenseActions("revoked")).toEqual([]);
    expect(licenseActions("superseded")).toEqual([]);
  });

  it("takes evidence one item a line", () => {
    expect(evidenceLines(" 录音 0001 \n\n短信记录\r\n")).toEqual(["录音 0001", "短信记录"]);
  });
});

describe("lists across pages and departments", () => {
  it("follows the cursor to the end, each department's, into one list", async () => {
    const pages: Record<string, { items: number[]; next: string | null }[]> = {
      A: [{ items: [1, 2], next: "a2" }, { items: [], next: "a3" }, { items: [3], next: null }],
      B: [{ items: [4], next: null }],
    };
    const asked: string[] = [];
    const found = await acrossDepartments(["A", "B"], async (dept, cursor) => {
      asked.push(`${dept}:${cursor ?? ""}`);
      const index = cursor ? Number(cursor.slice(1)) - 1 : 0;
      return pages[dept]![index]!;
    });
    expect(found).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual(["A:", "B:", "A:a2", "A:a3"]);
  });

  it("stops at its bound", async () => {
    let calls = 0;
    const found = await everyPage(async () => { calls += 1; return { items: [calls], next: "more" }; }, 3);
    expect(found).toEqual([1, 2, 3]);
  });
});

describe("taskStep", () => {
  it("names a task by its step, not its internal id", () => {
    expect(taskStep("44030020261204000001-A1")).toEqual({ step: "acceptance" });
    expect(taskStep("44030020261204000001-R1-SCJG")).toEqual({ step: "review", stage: 1 });
    expect(taskStep("44030020261204000001-R2-WSJK")).toEqual({ step: "review", stage: 2 });
    expect(taskStep("something-else")).toEqual({ step: "other" });
  });
});
