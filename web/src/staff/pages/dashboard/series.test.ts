import { describe, expect, it } from "vitest";
import {
  bucketQuery, cardsByLevelAndDept, categoryLabels, monthsBefore, named, openWorkByDaysLeft, overdueNow, type OpenWork, monthsBetween, onTimeByDept, percent, ratingDistribution,
  ratingsBehind, shareTrend, thisMonth, workingDaysPerItem, type Rating, type Stats,
} from "./series";

const ZERO = {
  received: 0, accepted: 0, refused: 0, concluded: 0, onTime: 0, onTimeRate: null,
  averageWorkingDays: null, p90WorkingDays: null, overdue: 0, cards: { warning: 0, yellow: 0, red: 0 },
  ratings: 0, ratingsByLevel: [0, 0, 0, 0, 0], satisfied: 0, satisfaction: null, excludedRatings: 0, rectifications: 0, rectified: 0,
  rectificationRate: null, rectificationsLate: 0, fullyOnline: 0, fullyOnlineShare: null,
} satisfies Stats["total"];

function stats(months: Partial<Stats["months"][number]>[], total: Partial<Stats["total"]> = {}): Stats {
  return { dimension: "all", from: "2026-10", to: "2026-12", total: { ...ZERO, ...total },
           months: months.map((m) => ({ ...ZERO, month: "2026-10", ...m })) };
}

function rating(dept: string, level: number, at: string, extra: Partial<Rating> = {}): Rating {
  return { ratingId: `${dept}${level}${at}`, caseNo: "1", itemCode: "I", scope: "case", dept,
           rater: "applicant", level, levelLabel: "", channel: "web", at, excluded: false, ...extra };
}

describe("months", () => {
  it("runs from one month to another across a year's end", () => {
    expect(monthsBetween("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsBetween("2026-03", "2026-02")).toEqual([]);
    expect(monthsBefore("2026-02", 6)).toBe("2025-09");
    expect(monthsBefore("2026-12", 1)).toBe("2026-12");
  });

  it("takes this month in the region, not in the browser's zone", () => {
    // 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    expect(thisMonth(new Date("2026-11-30T17:00:00Z"))).toBe("2026-12");
  });
});

describe("shares", () => {
  it("are percentages to one decimal, and nothing to divide by stays a gap", () => {
    expect(percent(0.8333)).toBe(83.3);
    expect(percent(1)).toBe(100);
    expect(percent(null)).toBeNull();
  });

  it("follow the months of the range, a month the API did not answer left a gap", () => {
    const found = stats([{ month: "2026-10", satisfaction: 0.5 }, { month: "2026-12", satisfaction: 0.75 }]);
    expect(shareTrend(["2026-10", "2026-11", "2026-12"], found, (m) => m.satisfaction)).toEqual([50, null, 75]);
  });

  it("draw one on-time line per department that concluded something", () => {
    const months = ["2026-10", "2026-11"];
    const series = onTimeByDept(months, [
      { dept: { code: "SCJG", name: "市场监管局" },
        stats: stats([{ month: "2026-10", concluded: 4, onTimeRate: 0.75 }, { month: "2026-11" }]) },
      { dept: { code: "WSJK", name: "卫健委" }, stats: stats([{ month: "2026-10" }]) },
    ]);
    expect(series).toEqual([{ name: "市场监管局", key: "SCJG", data: [75, null] }]);
  });
});

describe("counted by department and level", () => {
  const depts = [{ code: "SCJG", name: "市场监管局" }, { code: "WSJK", name: "卫健委" }, { code: "XFJY", name: "消防" }];
  const rows = [
    { code: "ZWFW", ...stats([], { cards: { warning: 0, yellow: 0, red: 1 } }) },
    { code: "XFJY", ...stats([]) },
    { code: "WSJK", ...stats([], { cards: { warning: 0, yellow: 0, red: 1 }, ratingsByLevel: [0, 0, 0, 0, 0] }) },
    { code: "SCJG", ...stats([], { cards: { warning: 1, yellow: 2, red: 0 }, ratingsByLevel: [1, 0, 0, 0, 1] }) },
  ];
  const byDept = named(rows, depts).map(({ named: dept, row }) => ({ dept, stats: row }));

  it("names the breakdown's rows in the directory's order, an unknown code by itself", () => {
    expect(byDept.map(({ dept }) => dept)).toEqual([...depts, { code: "ZWFW", name: "ZWFW" }]);
  });

  it("stacks cards of the range by level from the counters, none without cards", () => {
    const grouped = cardsByLevelAndDept(byDept, (level) => level.toUpperCase());
    expect(grouped.categories.map((c) => c.code)).toEqual(["SCJG", "WSJK", "ZWFW"]);
    expect(grouped.series).toEqual([
      { name: "WARNING", key: "warning", data: [1, 0, 0] },
      { name: "YELLOW", key: "yellow", data: [2, 0, 0] },
      { name: "RED", key: "red", data: [0, 1, 1] },
    ]);
  });

  it("stacks ratings 5 to 1 from the counters' levels", () => {
    const grouped = ratingDistribution(byDept, String);
    expect(grouped.categories.map((c) => c.code)).toEqual(["SCJG"]);
    expect(grouped.series.map((s) => [s.key, s.data])).toEqual(
      [["5", [1]], ["4", [0]], ["3", [0]], ["2", [0]], ["1", [1]]]);
  });
});

describe("the ratings behind a figure", () => {
  const ratings = [
    rating("SCJG", 1, "2026-11-30T17:00:00Z", { rectification: { state: "open", callbackDue: "", rectifyDue: "", late: [], round: 1, updatedAt: "", updatedBy: "" } }),
    rating("SCJG", 2, "2026-11-20T02:00:00Z"),
    rating("SCJG", 1, "2026-12-02T02:00:00Z", { excluded: true }),
  ];

  it("count by the region's month, leave voided ones out, newest first", () => {
    expect(ratingsBehind(ratings, { from: "2026-12", to: "2026-12" }).map((r) => r.level)).toEqual([1]);
    expect(ratingsBehind(ratings, { from: "2026-11", to: "2026-12" }).map((r) => r.at))
      .toEqual(["2026-11-30T17:00:00Z", "2026-11-20T02:00:00Z"]);
    expect(ratingsBehind(ratings, { level: 2 })).toHaveLength(1);
    expect(ratingsBehind(ratings, { rectification: true }).map((r) => r.at)).toEqual(["2026-11-30T17:00:00Z"]);
  });
});

describe("working days per item", () => {
  it("lists items that concluded a case, the slowest first", () => {
    const rows = workingDaysPerItem([
      { item: { code: "A", name: "甲" }, stats: stats([], { concluded: 2, averageWorkingDays: 1.5, p90WorkingDays: 2 }) },
      { item: { code: "B", name: "乙" }, stats: stats([], { concluded: 0 }) },
      { item: { code: "C", name: "丙" }, stats: stats([], { concluded: 5, averageWorkingDays: 3.25, p90WorkingDays: 4.1 }) },
    ]);
    expect(rows.map((r) => [r.item.code, r.average, r.p90, r.concluded])).toEqual([["C", 3.25, 4.1, 5], ["A", 1.5, 2, 2]]);
  });
});

describe("open work by working days left", () => {
  function work(dept: string, counts: Record<string, number>, paused = 0): OpenWork {
    const keys = ["overdue", "0", "1", "2", "3-5", "6-10", "11+"] as const;
    const buckets = keys.map((key, i) => ({
      key, label: `L${key}`, count: counts[key] ?? 0,
      dueAfter: key === "overdue" ? null : `2026-12-0${i}T00:00:00Z`,
      dueBefore: key === "11+" ? null : `2026-12-0${i + 1}T00:00:00Z` }));
    const open = buckets.reduce((sum, b) => sum + b.count, 0);
    return { dept, asOf: "2026-12-01T02:00:00Z", open, overdue: counts.overdue ?? 0,
             dueToday: counts["0"] ?? 0, paused, buckets };
  }
  const works = [
    { dept: { code: "SCJG", name: "市场监管局" }, work: work("SCJG", { overdue: 2, "1": 1, "11+": 3 }) },
    { dept: { code: "WSJK", name: "卫健委" }, work: work("WSJK", {}, 4) },
    { dept: { code: "XFJY", name: "消防" }, work: work("XFJY", { "0": 1 }) },
  ];

  it("stacks each department's open tasks by the API's buckets, in its order", () => {
    const grouped = openWorkByDaysLeft(works);
    expect(grouped.categories.map((c) => c.code)).toEqual(["SCJG", "XFJY"]);  // WSJK: nothing open
    expect(grouped.series.map((s) => s.key)).toEqual(["overdue", "0", "1", "2", "3-5", "6-10", "11+"]);
    expect(grouped.series.map((s) => s.data)).toEqual([[2, 0], [0, 1], [1, 0], [0, 0], [0, 0], [0, 0], [3, 0]]);
    expect(grouped.series[0]!.name).toBe("Loverdue");
  });

  it("shows overdue now and due today, departments with neither left out", () => {
    const grouped = overdueNow(works, { overdue: "已超期", today: "今日到期" });
    expect(grouped.categories.map((c) => c.code)).toEqual(["SCJG", "XFJY"]);
    expect(grouped.series).toEqual([
      { name: "已超期", key: "overdue", data: [2, 0] }, { name: "今日到期", key: "0", data: [0, 1] }]);
  });

  it("lists a bucket's tasks by its own bounds, an open bound left out", () => {
    const [overdue, , , , , , last] = works[0]!.work.buckets;
    expect(bucketQuery("SCJG", overdue!)).toEqual({ dept: "SCJG", bucket: "overdue", dueBefore: "2026-12-01T00:00:00Z" });
    expect(bucketQuery("SCJG", last!)).toEqual({ dept: "SCJG", bucket: "11+", dueAfter: "2026-12-06T00:00:00Z" });
  });
});

describe("a department axis", () => {
  it("shows every label, each wrapped within its share of the width", () => {
    const nine = categoryLabels(9);
    expect(nine.interval).toBe(0);
    expect(nine.overflow).toBe("break");
    expect(nine.width * 9).toBeLessThanOrEqual(460);
    expect(categoryLabels(2).width).toBeGreaterThan(nine.width);
  });
});
