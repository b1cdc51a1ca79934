// The dashboard's figures shaped into what a chart and its data table show: pure functions of
// the API's answers (GET /stats, /stats/breakdown, /ratings), so they are tested without a
// browser. A share is the API's fraction (0–1, null: nothing to divide by); a chart shows it
// as a percentage to one decimal, and null as a gap, never as 0.
import type { Schemas } from "../../../lib/api";
import { localDate } from "../../../lib/time";

export type Stats = Schemas["Stats"];
export type Card = Schemas["Card"];
export type Rating = Schemas["Rating"];
export type CardLevel = Card["level"];

export const CARD_LEVELS: CardLevel[] = ["warning", "yellow", "red"];
export const RATING_LEVELS = [5, 4, 3, 2, 1] as const;

export interface Named {
  code: string;
  name: string;
}

/** A share (0–1) as a percentage to one decimal; null stays null (a gap in a chart). */
export function percent(share: number | null | undefined): number | null {
  return share === null || share === undefined ? null : Math.round(share * 1000) / 10;
}

/** "YYYY-MM" months from `from` to `to`, both included (empty when `to` is before `from`). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split("-").map(Number) as [number, number];
  const [endYear, endMonth] = to.split("-").map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, "0")}`);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
}

/** The month `count - 1` months before `month` ("YYYY-MM"): a range of `count` months. */
export function monthsBefore(month: string, count: number): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (number - 1) - (count - 1);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The months a range covers when a page opens (the dashboard and the statistics alike):
 * this month and the five before it. */
export const RANGE_MONTHS = 6;

/** A department axis's labels: every one shown (ECharts would otherwise drop those that do
 * not fit), each wrapped within its share of the chart's width. */
export function categoryLabels(count: number, chartWidth = 460): { interval: 0; width: number; overflow: "break"; hideOverlap: false } {
  return { interval: 0, width: Math.max(40, Math.floor(chartWidth / Math.max(count, 1)) - 8),
           overflow: "break", hideOverlap: false };
}

/** This month in the region (Asia/Shanghai), whatever the browser's own zone. */
export function thisMonth(now: Date = new Date()): string {
  return localDate(now.toISOString()).slice(0, 7);
}

export interface Series {
  name: string;
  /** the code the drill-down filters by (a department's, a level's) */
  key: string;
  data: (number | null)[];
}

/** One line per department: its on-time rate (%) in each month of the range. */
export function onTimeByDept(months: string[], byDept: { dept: Named; stats: Figures }[]): Series[] {
  return byDept
    .filter(({ stats }) => stats.months.some((m) => m.concluded > 0))
    .map(({ dept, stats }) => {
      const rate = new Map(stats.months.map((m) => [m.month, percent(m.onTimeRate)]));
      return { name: dept.name, key: dept.code, data: months.map((m) => rate.get(m) ?? null) };
    });
}

/** One value per month of one share of the figures (satisfaction, rectification…), in %. */
export function shareTrend(months: string[], stats: Figures,
                           pick: (m: Stats["months"][number]) => number | null): (number | null)[] {
  const found = new Map(stats.months.map((m) => [m.month, percent(pick(m))]));
  return months.map((m) => found.get(m) ?? null);
}

export interface Grouped {
  /** the categories along the axis (departments) */
  categories: Named[];
  /** one stacked series per level */
  series: Series[];
}

/** Figures of one department (or item) over a range, by month and in total: a row of
 * GET /stats/breakdown, or a GET /stats answer. */
export interface Figures {
  months: Stats["months"];
  total: Stats["total"];
}

/** Rows of GET /stats/breakdown named: those in `known`'s order first, then any code the
 * list does not know (named by its code), sorted. */
export function named<T extends { code: string }>(rows: T[], known: Named[]): { named: Named; row: T }[] {
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const listed = new Set(known.map((k) => k.code));
  return [
    ...known.filter((k) => byCode.has(k.code)).map((k) => ({ named: k, row: byCode.get(k.code)! })),
    ...rows.filter((row) => !listed.has(row.code)).sort((a, b) => a.code.localeCompare(b.code))
      .map((row) => ({ named: { code: row.code, name: row.code }, row })),
  ];
}

/** Counts of a range's figures by department (axis) and level (stack), from the counters:
 * the departments in the given order, those counting nothing left out. */
function levelsByDept<L extends string | number>(byDept: { dept: Named; stats: Figures }[], levels: readonly L[],
                                                 count: (total: Stats["total"], level: L) => number,
                                                 levelName: (level: L) => string): Grouped {
  const shown = byDept.filter(({ stats }) => levels.some((level) => count(stats.total, level) > 0));
  return {
    categories: shown.map(({ dept }) => dept),
    series: levels.map((level) => ({
      name: levelName(level), key: String(level),
      data: shown.map(({ stats }) => count(stats.total, level)),
    })),
  };
}

/** Cards issued in the range by department (axis) and level (stack). */
export function cardsByLevelAndDept(byDept: { dept: Named; stats: Figures }[],
                                    levelName: (level: CardLevel) => string): Grouped {
  return levelsByDept(byDept, CARD_LEVELS, (total, level) => total.cards[level], levelName);
}

/** The month ("YYYY-MM", in the region) a moment falls in. */
export function monthOf(iso: string): string {
  return localDate(iso).slice(0, 7);
}

/** Ratings counted in the range (voided left out) by department (axis) and level 5…1. */
export function ratingDistribution(byDept: { dept: Named; stats: Figures }[],
                                   levelName: (level: number) => string): Grouped {
  return levelsByDept(byDept, RATING_LEVELS, (total, level) => total.ratingsByLevel[level - 1] ?? 0, levelName);
}

export interface ItemDays {
  item: Named;
  concluded: number;
  average: number | null;
  p90: number | null;
}

/** Average and p90 working days per item over the range: items that concluded a case, the
 * slowest (by p90) first. */
export function workingDaysPerItem(byItem: { item: Named; stats: Figures }[]): ItemDays[] {
  return byItem
    .filter(({ stats }) => stats.total.concluded > 0)
    .map(({ item, stats }) => ({ item, concluded: stats.total.concluded,
                                  average: stats.total.averageWorkingDays ?? null,
                                  p90: stats.total.p90WorkingDays ?? null }))
    .sort((a, b) => (b.p90 ?? -1) - (a.p90 ?? -1) || a.item.code.localeCompare(b.item.code));
}

export interface RatingFilter {
  from?: string | undefined;
  to?: string | undefined;
  level?: number | undefined;
  /** only ratings that opened a rectification */
  rectification?: boolean | undefined;
}

/** The ratings behind a figure: counted ones (voided left out) of the months, level and
 * rectification asked for, newest first. */
export function ratingsBehind(ratings: Rating[], filter: RatingFilter): Rating[] {
  return ratings
    .filter((r) => !r.excluded
      && (!filter.from || monthOf(r.at) >= filter.from)
      && (!filter.to || monthOf(r.at) <= filter.to)
      && (filter.level === undefined || r.level === filter.level)
      && (!filter.rectification || !!r.rectification))
    .sort((a, b) => b.at.localeCompare(a.at));
}

export type OpenWork = Schemas["OpenWork"];
export type Bucket = OpenWork["buckets"][number];

/** Open tasks by department (axis) and working days left (stack: the API's buckets, overdue
 * first), departments without open tasks left out. */
export function openWorkByDaysLeft(works: { dept: Named; work: OpenWork }[]): Grouped & { buckets: Bucket[][] } {
  const shown = works.filter(({ work }) => work.open > 0);
  const keys = shown[0]?.work.buckets ?? works[0]?.work.buckets ?? [];
  return {
    categories: shown.map(({ dept }) => dept),
    series: keys.map((bucket) => ({
      name: bucket.label, key: bucket.key,
      data: shown.map(({ work }) => work.buckets.find((b) => b.key === bucket.key)?.count ?? 0),
    })),
    buckets: shown.map(({ work }) => work.buckets),
  };
}

/** Overdue now and due later today, by department: those with either. */
export function overdueNow(works: { dept: Named; work: OpenWork }[],
                           names: { overdue: string; today: string }): Grouped & { buckets: Bucket[][] } {
  const shown = works.filter(({ work }) => work.overdue > 0 || work.dueToday > 0);
  return {
    categories: shown.map(({ dept }) => dept),
    series: [{ name: names.overdue, key: "overdue", data: shown.map(({ work }) => work.overdue) },
             { name: names.today, key: "0", data: shown.map(({ work }) => work.dueToday) }],
    buckets: shown.map(({ work }) => work.buckets),
  };
}

/** The GET /tasks filter of the tasks behind a bucket: open ones due within its bounds (a
 * null bound left out). */
export function bucketQuery(dept: string, bucket: Bucket): Record<string, string> {
  return { dept, bucket: bucket.key,
           ...(bucket.dueAfter ? { dueAfter: bucket.dueAfter } : {}),
           ...(bucket.dueBefore ? { dueBefore: bucket.dueBefore } : {}) };
}
