import { describe, expect, it } from "vitest";
import { exportFileName, figureRows, formatValue, MEASURES, type Stats } from "./figures";

const ZERO = {
  received: 0, accepted: 0, refused: 0, concluded: 0, onTime: 0, onTimeRate: null,
  averageWorkingDays: null, p90WorkingDays: null, overdue: 0, cards: { warning: 0, yellow: 0, red: 0 },
  ratings: 0, ratingsByLevel: [0, 0, 0, 0, 0], satisfied: 0, satisfaction: null, excludedRatings: 0, rectifications: 0, rectified: 0,
  rectificationRate: null, rectificationsLate: 0, fullyOnline: 0, fullyOnlineShare: null,
} satisfies Stats["total"];

describe("the figures table", () => {
  it("has a row per measure, a column per month and the range's total", () => {
    const stats: Stats = {
      dimension: "dept#SCJG", from: "2026-11", to: "2026-12",
      months: [{ ...ZERO, month: "2026-11", received: 3, concluded: 3, onTime: 2, onTimeRate: 0.6667,
                 cards: { warning: 1, yellow: 2, red: 0 }, averageWorkingDays: 2.5, p90WorkingDays: 3.1 },
               { ...ZERO, month: "2026-12" }],
      total: { ...ZERO, received: 3, concluded: 3, onTime: 2, onTimeRate: 0.6667,
               cards: { warning: 1, yellow: 2, red: 0 }, averageWorkingDays: 2.5, p90WorkingDays: 3.1 },
    };
    const rows = Object.fromEntries(figureRows(stats).map((r) => [r.key, r.values]));
    expect(Object.keys(rows)).toHaveLength(MEASURES.length);
    expect(rows.received).toEqual(["3", "0", "3"]);
    expect(rows.onTimeRate).toEqual(["66.7%", "—", "66.7%"]);
    expect(rows.cardsYellow).toEqual(["2", "0", "2"]);
    expect(rows.p90WorkingDays).toEqual(["3.1", "—", "3.1"]);
  });

  it("shows a share as a percentage and nothing to divide by as a dash, never 0", () => {
    expect(formatValue("share", 0)).toBe("0.0%");
    expect(formatValue("share", 1)).toBe("100.0%");
    expect(formatValue("share", null)).toBe("—");
    expect(formatValue("count", 0)).toBe("0");
  });

  it("names the export by its month", () => {
    expect(exportFileName("2026-12")).toBe("onewindow-statistics-2026-12.csv");
  });
});
