// Which steps of a card's or a rating's life a member of staff may take now: the rules of
// docs/api.md ("Supervision", "Ratings") as the workbench offers them, so a page never shows
// an action the role cannot take (the API still decides; a race answers 409).
import type { Schemas } from "../../lib/api";

export type Card = Schemas["Card"];
export type Rating = Schemas["Rating"];
type Who = Pick<Schemas["Me"], "role" | "departments" | "leads">;

const DEPARTMENT_ROLES = ["clerk", "reviewer"];
const OPEN_CARD = ["issued", "acknowledged"];

function ofDepartment(me: Who, dept: string): boolean {
  return DEPARTMENT_ROLES.includes(me.role) && me.departments.includes(dept);
}

function leads(me: Who, dept: string): boolean {
  return ofDepartment(me, dept) && me.leads.includes(dept);
}

export interface CardActions {
  acknowledge: boolean;
  appeal: boolean;
  decide: boolean;
}

/** A card: its department acknowledges it while issued; the lead appeals a yellow or red
 * card still standing, once; a supervisor decides an appeal not yet decided. */
export function cardActions(card: Card, me: Who): CardActions {
  return {
    acknowledge: card.state === "issued" && ofDepartment(me, card.dept),
    appeal: card.level !== "warning" && OPEN_CARD.includes(card.state) && !card.appeal
      && leads(me, card.dept),
    decide: me.role === "supervisor" && !!card.appeal && !card.appeal.decision,
  };
}

/** Whether the card's appeal waits for a supervisor. */
export function appealPending(card: Card): boolean {
  return !!card.appeal && !card.appeal.decision;
}

export interface RatingActions {
  callback: boolean;
  rectify: boolean;
  contest: boolean;
  review: boolean;
  decideContest: boolean;
}

/** A bad rating's rectification: the rated department calls back (open) and rectifies
 * (called back); its lead contests while the department still owes work, not once a
 * re-review sent it back; a supervisor decides a re-review or a contest. */
export function ratingActions(rating: Rating, me: Who): RatingActions {
  const rect = rating.rectification;
  const state = rect?.state;
  const mine = ofDepartment(me, rating.dept);
  const supervisor = me.role === "supervisor";
  return {
    callback: mine && state === "open",
    rectify: mine && state === "called_back",
    contest: leads(me, rating.dept) && (state === "open" || state === "called_back")
      && (rect?.round ?? 1) === 1,
    review: supervisor && state === "review_requested",
    decideContest: supervisor && state === "contested",
  };
}

export type LicenseAction = "suspend" | "resume" | "revoke" | "reissue";

/** A license's changes its status allows (docs/licenses.md "Status"): a valid one is
 * suspended, revoked or reissued; a suspended one resumed or revoked; a revoked,
 * superseded or expired one nothing. */
export function licenseActions(status: string): LicenseAction[] {
  switch (status) {
    case "valid": return ["suspend", "revoke", "reissue"];
    case "suspended": return ["resume", "revoke"];
    default: return [];
  }
}

/** What a task is, as a clerk names it, from its id (`<caseNo>-A1`: 受理;
 * `<caseNo>-R<n>-<dept>`: the n-th review stage) — never the internal id itself. */
export function taskStep(taskId: string): { step: "acceptance" | "review" | "other"; stage?: number } {
  if (/-A\d+$/.test(taskId)) return { step: "acceptance" };
  const review = /-R(\d+)-[A-Z0-9_]+$/.exec(taskId);
  if (review) return { step: "review", stage: Number(review[1]) };
  return { step: "other" };
}

/** Evidence typed one item a line, as the API takes it (a list, blank lines left out). */
export function evidenceLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

/** A query parameter from the address as one value (the first, if repeated). */
export function queryValue(value: unknown): string {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === "string" ? one : "";
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Every page of a list, followed by its cursor (at most `maxPages`: a bound, not a
 * guess — the supervisor's worklists are short). */
export async function everyPage<T>(fetchPage: (cursor?: string) => Promise<Page<T>>,
                                   maxPages = 20): Promise<T[]> {
  const found: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await fetchPage(cursor);
    found.push(...answer.items);
    if (!answer.next) break;
    cursor = answer.next;
  }
  return found;
}

/** A department's list for each department, all pages, one list (the API lists one
 * department at a time; a supervisor's worklist spans them). */
export async function acrossDepartments<T>(
  depts: string[], fetchPage: (dept: string, cursor?: string) => Promise<Page<T>>,
): Promise<T[]> {
  const lists = await Promise.all(depts.map((dept) => everyPage((cursor) => fetchPage(dept, cursor))));
  return lists.flat();
}
