// The catalogue admin's calls that the generated client answers with more than a body: a
// version with its ETag (what If-Match must quote), and labels shared by the pages.
import { api, unwrap, type Schemas } from "../../../lib/api";

export type Implementation = Schemas["Implementation"];

export interface EditableVersion {
  doc: Implementation;
  etag: string;
}

/** A version, drafts included, with its ETag; always asked of the server (never the
 * browser's cache: an editor must start from the draft as it is now). */
export async function loadVersion(code: string, version: number): Promise<EditableVersion> {
  const call = api().GET("/admin/items/{code}/versions/{version}",
                         { params: { path: { code, version } }, cache: "no-store" });
  const answer = await call;
  const doc = await unwrap(Promise.resolve(answer));
  return { doc, etag: answer.response.headers.get("ETag") ?? "" };
}

/** The draft changed, guarded by the ETag read: the new ETag, or ApiError (412 when
 * someone changed it since). */
export async function saveDraft(code: string, version: number, etag: string, reason: string,
                                doc: Implementation): Promise<string> {
  const answer = await api().PUT("/admin/items/{code}/versions/{version}", {
    params: { path: { code, version }, header: { "If-Match": etag } },
    body: { reason, item: doc },
  });
  await unwrap(Promise.resolve(answer));
  return answer.response.headers.get("ETag") ?? "";
}

export function limitText(t: (key: string, values?: Record<string, unknown>) => string,
                          limit: { value: number; unit: string } | undefined): string {
  if (!limit) return "";
  return t(limit.unit === "workdays" ? "catalogue.workdays" : "catalogue.workhours", { n: limit.value });
}

/** 事项类型, as the catalogue names them (domain/catalogue.py KINDS). */
export const KINDS = {
  "01": "行政许可", "02": "行政处罚", "03": "行政强制", "04": "行政征收", "05": "行政给付",
  "06": "行政检查", "07": "行政确认", "08": "行政奖励", "09": "行政裁决", "10": "其他行政权力",
  "20": "公共服务",
} as const;
export type Kind = keyof typeof KINDS;
