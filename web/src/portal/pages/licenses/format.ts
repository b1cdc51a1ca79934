// How dates, times and sizes read on these pages (Chinese conventions, the region's zone).
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
