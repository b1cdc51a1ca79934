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
