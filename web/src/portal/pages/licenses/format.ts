// How dates, times and sizes read on these pages (Chinese conventions, the region's zone).
import type { Schemas } from "../../../lib/api";
import { basisOf, type Basis } from "../../../lib/dataSharing";
import { localTime } from "../../../lib/time";

export function dateTime(iso: string | null | undefined): string {
  return localTime(iso);
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The address a license's QR code carries: its public status page on the API (the same
 * address the printed license's QR code carries, GET /licenses/{id}/status). */
export function statusAddress(apiBase: string, identifier: string): string {
  return `${apiBase.replace(/\/+$/, "")}/licenses/${identifier}/status`;
}

export { saveBlob } from "../../../lib/download";

type AccessEntry = Schemas["AccessLogEntry"];

/** What an access-log entry was, as the page says it: a registry asked about the holder
 * (查询了人口库), staff reading a case file (查看了办件), or a license or material viewed,
 * verified or used. */
export type EntryKind = "query" | "caseView" | "view" | "verify" | "use";

export function entryKind(entry: Pick<AccessEntry, "action" | "caseNo" | "licenseId" | "materialId">): EntryKind {
  if (entry.action === "query") return "query";
  if (entry.action === "view" && entry.caseNo && !entry.licenseId && !entry.materialId) return "caseView";
  return entry.action;
}

const STAFF_ROLES = new Set(["clerk", "reviewer", "supervisor", "admin"]);

/** Whether the entry is a member of staff's (their organisation is a department code). */
export function byStaff(entry: Pick<AccessEntry, "role">): boolean {
  return !!entry.role && STAFF_ROLES.has(entry.role);
}

/** A query's basis (consent:<id>, law:<citation>). */
export function entryBasis(entry: Pick<AccessEntry, "basis">): Basis | null {
  return basisOf(entry.basis);
}

/** Who read, as the page says it — never an account id (`person:…`, `org:…`, `staff:…`):
 * staff by department and post; the holder asking about their own data (本人, or 本单位
 * for a company's own account; an agent asking for a company: 代办人); the system checking
 * the rules, a third party or an anonymous verifier by the organisation it named. */
export type Reader =
  | { kind: "staff"; role: string; organisation: string }
  | { kind: "self" } | { kind: "ownOrg" } | { kind: "agent" }
  | { kind: "organisation"; organisation: string; role: string }
  | { kind: "anonymous" };

const SELF = "本人";

export function readerOf(entry: Pick<AccessEntry, "by" | "role" | "organisation">,
                         forCompany = false): Reader {
  if (byStaff(entry)) return { kind: "staff", role: entry.role ?? "", organisation: entry.organisation ?? "" };
  if (entry.organisation === SELF || (!entry.organisation && entry.by)) {
    if (entry.by?.startsWith("org:")) return { kind: "ownOrg" };
    return forCompany ? { kind: "agent" } : { kind: "self" };
  }
  if (entry.organisation) return { kind: "organisation", organisation: entry.organisation, role: entry.role ?? "" };
  return { kind: "anonymous" };
}

/** Entries folded for reading: consecutive entries (newest first) of the same reader,
 * action, case (license, material, registry, purpose) and day are one line, shown with
 * the newest's time and how many (`entries`: every one of them, newest first). */
export interface FoldedEntry {
  entry: AccessEntry;
  entries: AccessEntry[];
  /** how many reads the line stands for (an anonymous verifier's entry may count several) */
  count: number;
}

function sameLine(a: AccessEntry, b: AccessEntry): boolean {
  return a.by === b.by && a.role === b.role && a.organisation === b.organisation
    && a.action === b.action && a.caseNo === b.caseNo && a.licenseId === b.licenseId
    && a.materialId === b.materialId && a.registry === b.registry && a.purpose === b.purpose
    && a.basis === b.basis && localTime(a.at).slice(0, 10) === localTime(b.at).slice(0, 10);
}

export function foldEntries(entries: readonly AccessEntry[]): FoldedEntry[] {
  const folded: FoldedEntry[] = [];
  for (const entry of entries) {
    const last = folded[folded.length - 1];
    if (last && sameLine(last.entry, entry)) {
      last.entries.push(entry);
      last.count += entry.count ?? 1;
    } else {
      folded.push({ entry, entries: [entry], count: entry.count ?? 1 });
    }
  }
  return folded;
}
