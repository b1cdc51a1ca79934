// What the case pages derive from a case as the API answers it (Schemas["Case"]): the
// progress, the legal clock in working days, the stage under way, and which of the
// applicant's actions the status allows (docs/glossary.md, "Case status codes").
import type { Schemas } from "../../../lib/api";
import { ruleCheckOfEntry } from "../../../lib/dataSharing";

type Case = Schemas["Case"];
type Clock = Schemas["Clock"];

/** 480 working minutes make a working day (docs/architecture.md, "The legal clock"). */
export const MINUTES_PER_WORKING_DAY = 480;

/** Statuses from which the applicant may withdraw: 2 before acceptance, 14 after. */
const WITHDRAWABLE = new Set([1, 3, 6, 7, 8, 9, 10]);
/** Closed statuses a case rating (一事一评) may follow (docs/ratings.md). */
const RATEABLE = new Set([4, 5, 11, 12, 13]);
const ENDED = new Set([2, 4, 5, 11, 12, 13, 14, 15]);

export function withdrawable(status: number): boolean {
  return WITHDRAWABLE.has(status);
}

export function rateable(status: number): boolean {
  return RATEABLE.has(status);
}

export function ended(status: number): boolean {
  return ENDED.has(status);
}

/** The TDesign tag theme of a status: waiting on the applicant, done well, ended badly. */
export function statusTheme(status: number): "primary" | "warning" | "success" | "danger" | "default" {
  if (status === 6 || status === 12) return "warning";
  if (status === 11) return "success";
  if ([4, 5, 13, 15].includes(status)) return "danger";
  if (status === 2 || status === 14) return "default";
  return "primary";
}

/** Working minutes as working days, to one decimal (never below 0). */
export function workingDays(minutes: number | null | undefined): number | null {
  if (minutes === null || minutes === undefined) return null;
  return Math.max(0, Math.round((minutes / MINUTES_PER_WORKING_DAY) * 10) / 10);
}

/** The materials the applicant is asked for now: a supplement request's (补正, 6) or
 * those an approval let follow (容缺, 12). */
export function requestedMaterials(kase: Case): string[] {
  if (kase.status === 6) {
    const materials = kase.supplement?.materials;
    return Array.isArray(materials) ? materials.filter((m): m is string => typeof m === "string") : [];
  }
  if (kase.status === 12) return kase.pendingMaterials ?? [];
  return [];
}

/** Whether the case is still on its way to where the system takes it by itself: not yet
 * started (its rules not yet checked, 秒批), or approved by its rules and not yet concluded
 * — or concluded, and its timeline (which follows a moment later) not there yet. The case
 * page asks again meanwhile. */
export function settling(kase: Pick<Case, "workflow" | "ruleCheck" | "status" | "timeline">): boolean {
  if (kase.workflow === "queued") return true;
  if (kase.ruleCheck?.outcome !== "approved") return false;
  if (!ended(kase.status)) return true;
  const statuses = (kase.timeline ?? []).filter((e) => e.action === "status");
  return statuses[statuses.length - 1]?.status !== kase.status;
}

export interface ProgressStep {
  at: string;
  kind: "status" | "paused" | "resumed" | "rules";
  status?: number;
  label: string;
  opinion?: string | undefined;
  dept?: string | undefined;
  pauseKind?: string | undefined;
  /** a rules check (秒批): its outcome and the names of the rules that did not hold */
  outcome?: "approved" | "referred" | undefined;
  failed?: string[] | undefined;
}

/** The timeline as a person follows it: each status reached, each stop and restart of the
 * clock, the rules check (秒批), in order. Staff bookkeeping (tasks created, claimed) is
 * left out. */
export function progress(timeline: Schemas["TimelineEntry"][] | null | undefined): ProgressStep[] {
  const steps: ProgressStep[] = [];
  for (const entry of timeline ?? []) {
    if (entry.action === "status" && entry.status != null) {
      steps.push({ at: entry.at, kind: "status", status: entry.status,
                   label: entry.statusLabel ?? String(entry.status),
                   opinion: entry.opinion ?? undefined, dept: entry.dept ?? undefined });
    } else if (entry.action === "clock_paused" || entry.action === "clock_resumed") {
      const kind = entry.detail?.kind;
      steps.push({ at: entry.at, kind: entry.action === "clock_paused" ? "paused" : "resumed",
                   label: "", pauseKind: typeof kind === "string" ? kind : undefined });
    } else if (entry.action === "rules_checked") {
      const check = ruleCheckOfEntry(entry);
      if (check) {
        steps.push({ at: entry.at, kind: "rules", label: "", outcome: check.outcome,
                     failed: check.failed.map((step) => step.name) });
      }
    }
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}

/** The tasks under way (to be decided, waiting on a supplement, in a special procedure). */
export function currentTasks(kase: Case): Schemas["Task"][] {
  return (kase.tasks ?? []).filter((t) => t.state === "open" || t.state === "supplement" || t.state === "special");
}

/** The clock's figures in working days, or null when the case has no clock in view. */
export function clockFigures(clock: Clock | null | undefined) {
  if (!clock) return null;
  return {
    running: clock.running,
    promisedLeft: workingDays(clock.promisedRemainingMinutes),
    statutoryLeft: workingDays(clock.statutoryRemainingMinutes),
    elapsed: workingDays(clock.elapsedMinutes) ?? 0,
    paused: workingDays(clock.pausedMinutes) ?? 0,
    promisedDueAt: clock.promisedDueAt ?? null,
    statutoryDueAt: clock.statutoryDueAt ?? null,
    pauseKind: clock.pauseKind ?? null,
    pausedSince: clock.pausedSince ?? null,
    pauses: clock.pauses,
  };
}

export { localDate, localTime } from "../../../lib/time";
