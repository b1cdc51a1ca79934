// What the dashboard reads from the API: the departments and items to name things by, every
// department's and item's figures in one call (GET /stats/breakdown), and for drill-downs the
// pages of a department's ratings or counted cases (the API lists a department at a time),
// a few departments at a time.
import { api, unwrap, type Schemas } from "../../../lib/api";
import { loadDirectory } from "../../../lib/directory";
import type { Named, OpenWork, Rating, Stats } from "./series";
export { mapLimited } from "./limited";

/** Pages read at most per department and list: the dashboard is an overview, the drill-down
 * pages the lists in full. */
export const MAX_PAGES = 20;

let departments: Promise<Named[]> | null = null;
let items: Promise<(Named & { dept: string })[]> | null = null;

/** The region's departments (GET /directory, read once per page load: those with published
 * items). */
export function allDepartments(): Promise<Named[]> {
  departments ??= loadDirectory()
    .then((d) => d.departments.map(({ code, name }) => ({ code, name })))
    .catch((error: unknown) => { departments = null; throw error; });
  return departments;
}

/** The published items (GET /items, every page), with their implementing department. */
export function allItems(): Promise<(Named & { dept: string })[]> {
  items ??= (async () => {
    const found: (Named & { dept: string })[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await unwrap(api().GET("/items", { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
      found.push(...answer.items.map((i) => ({ code: i.code, name: i.name, dept: i.implementingDept })));
      if (!answer.next) break;
      cursor = answer.next;
    }
    return found;
  })().catch((error: unknown) => { items = null; throw error; });
  return items;
}

/** A name for a code (the code itself when unknown). */
export function nameOf(list: Named[], code: string): string {
  return list.find((entry) => entry.code === code)?.name ?? code;
}

/** At most this many requests at once when a drill-down reads department by department. */
export const AT_ONCE = 4;

/** What a list read page by page found, and whether it stopped at MAX_PAGES with more left
 * (then a page says "仅显示前 N 条", never silently). */
export interface Found<T> {
  found: T[];
  cut: boolean;
}

async function everyPage<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | null }>): Promise<Found<T>> {
  const found: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const answer = await page(cursor);
    found.push(...answer.items);
    if (!answer.next) return { found, cut: false };
    cursor = answer.next;
  }
  return { found, cut: true };
}

/** A department's ratings, every page (up to MAX_PAGES), newest first. */
export function ratingsOf(query: { dept: string; level?: number }): Promise<Found<Rating>> {
  return everyPage(async (cursor) => {
    const answer = await unwrap(api().GET("/ratings",
                                          { params: { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    return { items: answer.ratings, next: answer.next };
  });
}

export type BreakdownRow = Schemas["BreakdownRow"];

/** Every department's (or item's) figures for a range (GET /stats/breakdown): one request
 * per page of 100 rows, whatever the number of departments or items. */
export async function breakdownOf(range: { from: string; to: string }, by: "dept" | "item"): Promise<BreakdownRow[]> {
  const rows: BreakdownRow[] = [];
  let cursor: string | undefined;
  do {
    const answer = await unwrap(api().GET("/stats/breakdown",
                                          { params: { query: { ...range, by, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    rows.push(...answer.rows);
    cursor = answer.next ?? undefined;
  } while (cursor);
  return rows;
}

export type StatsQuery = { from: string; to: string; dept?: string; item?: string;
                           channel?: "web" | "miniprogram" | "api" | "counter" };

export function statsOf(query: StatsQuery): Promise<Stats> {
  return unwrap(api().GET("/stats", { params: { query } }));
}

/** A department's open tasks by working days left (GET /supervision/open-work). */
export function openWorkOf(dept: string): Promise<OpenWork> {
  return unwrap(api().GET("/supervision/open-work", { params: { query: { dept } } }));
}

export type CountedCase = Schemas["CountedCase"];
export type Measure = NonNullable<Schemas["CountedCases"]["measure"]>;

/** The cases behind a month's figure of a department or an item (GET /stats/cases), every
 * page (up to MAX_PAGES). */
export function countedCasesOf(query: { month: string; measure: Measure; dept?: string; item?: string }): Promise<Found<CountedCase>> {
  return everyPage(async (cursor) => {
    const answer = await unwrap(api().GET("/stats/cases",
                                          { params: { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    return { items: answer.cases, next: answer.next };
  });
}
