// The figures table of 统计报表: one row per measure of GET /stats (counts, shares, working
// days), one column per month of the range and one for the whole range. A pure function of
// the API's answer, so it is tested without a browser.
import type { Schemas } from "../../../lib/api";

export type Stats = Schemas["Stats"];
export type Figures = Schemas["Figures"];

type Kind = "count" | "share" | "days";

/** Each measure in the order a report reads them (the message key is statistics.measures.<key>). */
export const MEASURES: { key: string; kind: Kind; pick: (f: Figures) => number | null | undefined }[] = [
  { key: "received", kind: "count", pick: (f) => f.received },
  { key: "accepted", kind: "count", pick: (f) => f.accepted },
  { key: "refused", kind: "count", pick: (f) => f.refused },
  { key: "concluded", kind: "count", pick: (f) => f.concluded },
  { key: "onTime", kind: "count", pick: (f) => f.onTime },
  { key: "onTimeRate", kind: "share", pick: (f) => f.onTimeRate },
  { key: "averageWorkingDays", kind: "days", pick: (f) => f.averageWorkingDays },
  { key: "p90WorkingDays", kind: "days", pick: (f) => f.p90WorkingDays },
  { key: "overdue", kind: "count", pick: (f) => f.overdue },
  { key: "cardsWarning", kind: "count", pick: (f) => f.cards.warning },
  { key: "cardsYellow", kind: "count", pick: (f) => f.cards.yellow },
  { key: "cardsRed", kind: "count", pick: (f) => f.cards.red },
  { key: "ratings", kind: "count", pick: (f) => f.ratings },
  { key: "satisfied", kind: "count", pick: (f) => f.satisfied },
  { key: "satisfaction", kind: "share", pick: (f) => f.satisfaction },
  { key: "excludedRatings", kind: "count", pick: (f) => f.excludedRatings },
  { key: "rectifications", kind: "count", pick: (f) => f.rectifications },
  { key: "rectified", kind: "count", pick: (f) => f.rectified },
  { key: "rectificationRate", kind: "share", pick: (f) => f.rectificationRate },
  { key: "rectificationsLate", kind: "count", pick: (f) => f.rectificationsLate },
  { key: "fullyOnline", kind: "count", pick: (f) => f.fullyOnline },
  { key: "fullyOnlineShare", kind: "share", pick: (f) => f.fullyOnlineShare },
];

/** A value as the table shows it: a share as a percentage to one decimal (0.8333 → 83.3%),
 * working days to their precision, nothing to divide by as "—" (never 0). */
export function formatValue(kind: Kind, value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (kind === "share") return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
  return String(value);
}

export interface FigureRow {
  key: string;
  /** one per month of the range, then the range's total */
  values: string[];
}

export function figureRows(stats: Stats): FigureRow[] {
  return MEASURES.map(({ key, kind, pick }) => ({
    key,
    values: [...stats.months.map((m) => formatValue(kind, pick(m))), formatValue(kind, pick(stats.total))],
  }));
}

/** The file name a month's export is saved under. */
export function exportFileName(month: string): string {
  return `onewindow-statistics-${month}.csv`;
}
