// The 待办任务 area's pure rules: how near a task's deadline is (as the region's calendar
// reads it), the inbox's filters as the URL keeps them, the keyboard shortcuts, what a race
// the API lost is called, and what changed on a task someone else acted on.
import type { Schemas } from "../../../lib/api";

export type Task = Schemas["Task"];
export type Dueness = "overdue" | "today" | "later";

const DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric",
  month: "2-digit", day: "2-digit" });

/** The region's calendar day of a moment (YYYY-MM-DD, Asia/Shanghai). */
export function regionDay(at: Date): string {
  return DAY.format(at);
}

/** Overdue when the sweep marked it or its deadline has passed; due today when the deadline
 *  falls on today's date in the region; else later. */
export function dueness(task: Pick<Task, "deadline" | "overdue">, now: Date): Dueness {
  const deadline = new Date(task.deadline);
  if (task.overdue || deadline.getTime() < now.getTime()) return "overdue";
  return regionDay(deadline) === regionDay(now) ? "today" : "later";
}

export interface InboxFilters {
  state?: "open" | "supplement" | "special" | undefined;
  item?: string | undefined;
  overdue?: "true" | "false" | undefined;
  mine?: "true" | undefined;
}

const STATES = ["open", "supplement", "special"] as const;

/** The filters a URL's query names (anything else in it ignored). */
export function filtersFromQuery(query: Record<string, unknown>): InboxFilters {
  const text = (key: string) => (typeof query[key] === "string" ? (query[key] as string) : "");
  const filters: InboxFilters = {};
  const state = text("state");
  if ((STATES as readonly string[]).includes(state)) filters.state = state as InboxFilters["state"];
  if (text("item").trim()) filters.item = text("item").trim();
  if (text("overdue") === "true" || text("overdue") === "false") {
    filters.overdue = text("overdue") as "true" | "false";
  }
  if (text("mine") === "true") filters.mine = "true";
  return filters;
}

/** The filters as a URL query (empty ones left out). */
export function queryFromFilters(filters: InboxFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
  return query;
}

export type Shortcut = "next" | "previous" | "open" | "decide";

/** The shortcut a key press means, or null: never while the person types in a field, nor
 *  with Ctrl, Alt or Meta (the browser's own shortcuts). */
export function shortcutOf(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "altKey" | "metaKey"
  | "isComposing"> & { target: EventTarget | null }): Shortcut | null {
  if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return null;
  if (isTyping(event.target)) return null;
  switch (event.key) {
    case "j": case "J": case "n": case "N": return "next";
    case "k": case "K": case "p": case "P": return "previous";
    case "o": case "O": return "open";
    case "d": case "D": return "decide";
    default: return null;
  }
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as (HTMLElement & { type?: string }) | null;
  if (!element || typeof element.tagName !== "string") return false;
  const tag = element.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select" || element.isContentEditable) return true;
  if (tag !== "input") return false;
  return !["checkbox", "radio", "button", "submit", "reset"].includes((element.type ?? "text").toLowerCase());
}

/** The position after moving by one in a list of `length`, from `current` (-1: none yet). */
export function step(current: number, length: number, by: 1 | -1): number {
  if (length === 0) return -1;
  if (current < 0) return by === 1 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, current + by));
}

/** The 409s a decision or claim can lose a race with, as the person is told what happened. */
export const RACES: Record<string, string> = {
  task_claimed: "tasks.race.claimed",
  task_changed: "tasks.race.changed",
  task_already_decided: "tasks.race.decided",
  task_cancelled: "tasks.race.cancelled",
  task_waiting: "tasks.race.waiting",
  case_changed: "tasks.race.changed",
  no_special_procedure: "tasks.race.noSpecial",
  conflict: "tasks.race.changed",
};

export type Change =
  | { kind: "claimed"; by: string; byName?: string | null }
  | { kind: "released" }
  | { kind: "decided" }
  | { kind: "cancelled" }
  | { kind: "gone" };

/** What someone else did to a task between two reads of it (null: nothing, or it was me). */
export function changeBySomeoneElse(before: Task, after: Task | undefined, me: string): Change | null {
  if (!after) return { kind: "gone" };
  if (after.state === "decided" && before.state !== "decided") {
    return after.claimedBy === me ? null : { kind: "decided" };
  }
  if (after.state === "cancelled" && before.state !== "cancelled") return { kind: "cancelled" };
  const was = before.claimedBy ?? null, now = after.claimedBy ?? null;
  if (was === now) return null;
  if (now && now !== me) return { kind: "claimed", by: now, byName: after.claimedByName ?? null };
  if (!now && was && was !== me) return { kind: "released" };
  return null;
}

/** A task's case number: its id is the case number (no dash in it) and the task's own
 *  suffix (`<caseNo>-A1`, `<caseNo>-R1-SCJG`). */
export function caseNoOf(taskId: string): string {
  return taskId.split("-")[0] ?? taskId;
}
