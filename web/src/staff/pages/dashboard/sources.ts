// What the dashboard reads from the API: the departments and items to name things by, and
// every page of a department's cards or ratings (the API lists a department at a time; a
// supervisor names it). Read once per visit of the dashboard, not per chart.
import { api, unwrap, type Schemas } from "../../../lib/api";
import { loadDirectory } from "../../../lib/directory";
import type { Card, Named, OpenWork, Rating, Stats } from "./series";

/** Pages read at most per department and list: the dashboard is an overview, the drill-down
 * pages the lists in full. */
export const MAX_PAGES = 20;

let items: Promise<(Named & { dept: string })[]> | null = null;

/** The region's departments (GET /directory: those with published items). */
export function allDepartments(): Promise<Named[]> {
  return loadDirectory().then((d) => d.departments.map(({ code, name }) => ({ code, name })));
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

type CardQuery = { dept: string; level?: Card["level"]; state?: Card["state"]; item?: string };

/** A department's cards, every page (up to MAX_PAGES). */
export async function cardsOf(query: CardQuery): Promise<Card[]> {
  const found: Card[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await unwrap(api().GET("/supervision/cards",
                                          { params: { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    found.push(...answer.cards);
    if (!answer.next) break;
    cursor = answer.next;
  }
  return found;
}

/** A department's ratings, every page (up to MAX_PAGES), newest first. */
export async function ratingsOf(query: { dept: string; level?: number }): Promise<Rating[]> {
  const found: Rating[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await unwrap(api().GET("/ratings",
                                          { params: { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    found.push(...answer.ratings);
    if (!answer.next) break;
    cursor = answer.next;
  }
  return found;
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
export async function countedCasesOf(query: { month: string; measure: Measure; dept?: string; item?: string }): Promise<CountedCase[]> {
  const found: CountedCase[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await unwrap(api().GET("/stats/cases",
                                          { params: { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    found.push(...answer.cases);
    if (!answer.next) break;
    cursor = answer.next;
  }
  return found;
}
