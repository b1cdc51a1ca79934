// Two item versions compared field by field, as an admin reads the change before publishing:
// objects compared key by key, lists whole, the service's bookkeeping (version, status,
// lineage) left out, like the API's own diff (domain/catalogue.py) — and, unlike it, the form
// fields' order too, since the citizen's form follows it. Each change is labelled in Chinese.
// `applyChanges` replays changes on another document: after a 412 the admin's own changes
// go onto the draft as someone else left it, nothing dropped without saying.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Change {
  /** dotted path: `name`, `promisedLimit.value`, `formSchema.properties.address.title` */
  path: string;
  kind: "added" | "removed" | "changed" | "reordered";
  from: Json | undefined;
  to: Json | undefined;
}

const BOOKKEEPING = new Set(["version", "status", "lineage", "parentCode", "createdAt",
                             "createdBy", "publishedAt", "publishedBy"]);

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The changes from `before` to `after` (either may be missing: everything added). */
export function diffVersions(before: unknown, after: unknown, path = ""): Change[] {
  const old = isObject(before) ? before : {};
  const now = isObject(after) ? after : {};
  const changes: Change[] = [];
  const keys = [...Object.keys(old), ...Object.keys(now).filter((k) => !(k in old))];
  for (const key of keys) {
    if (!path && BOOKKEEPING.has(key)) continue;
    const where = path ? `${path}.${key}` : key;
    const from = old[key], to = now[key];
    if (isObject(from) && isObject(to)) {
      changes.push(...diffVersions(from, to, where));
    } else if (!(key in now)) {
      changes.push({ path: where, kind: "removed", from, to: undefined });
    } else if (!(key in old)) {
      changes.push({ path: where, kind: "added", from: undefined, to });
    } else if (!same(from, to)) {
      changes.push({ path: where, kind: "changed", from, to });
    }
  }
  // The form's fields in another order: the citizen sees them so.
  if (path === "formSchema.properties") {
    const kept = Object.keys(old).filter((k) => k in now);
    const order = Object.keys(now).filter((k) => k in old);
    if (!same(kept, order)) {
      changes.push({ path: `${path}`, kind: "reordered", from: kept, to: order });
    }
  }
  return changes;
}

const LABELS: Record<string, string> = {
  name: "事项名称", kind: "事项类型", legalBasis: "设定依据", definingDept: "设定部门",
  implementingDept: "实施部门", coDepts: "协办部门", audience: "服务对象", channels: "办理渠道",
  conditions: "受理条件", statutoryLimit: "法定办结时限", promisedLimit: "承诺办结时限",
  fees: "收费", onlineDepth: "网上办理深度", visits: "到现场次数", where: "办理地点",
  when: "办理时间", contacts: "咨询电话", complaint: "监督投诉", materials: "申请材料",
  process: "办理流程", formSchema: "申请表", themes: "主题", immediate: "即办件", faq: "常见问题",
  result: "办理结果", specialProcedures: "特别程序", minAssurance: "实名等级",
  completeAtSubmission: "网上申报材料齐全", allowParallelCases: "允许并行办件",
  baseCode: "基本编码", areaCode: "区划代码", sequence: "序号", code: "实施编码",
};
const PART: Record<string, string> = {
  value: "数值", unit: "单位", charged: "是否收费", basis: "收费依据", standard: "收费标准",
  acceptanceDept: "受理部门", acceptanceDays: "受理时限", stages: "审查环节",
  materialsToFollowDays: "容缺补交时限", title: "标题", description: "说明", examples: "示例",
  enum: "选项", type: "类型", required: "必填字段", format: "格式", minLength: "最少字数",
  maxLength: "最多字数", pattern: "格式规则", name: "名称", days: "时限（工作日）",
  departments: "部门", rule: "规则", lead: "牵头部门", dept: "部门",
};

/** A change's place in Chinese: 承诺办结时限 · 数值, 申请表 · 字段「经营地址」· 标题. */
export function labelOf(path: string, titles: Record<string, string> = {}): string {
  const parts = path.split(".");
  const [head, ...rest] = parts;
  const words = [LABELS[head as string] ?? head];
  if (head === "formSchema") {
    if (rest[0] === "properties" && rest.length === 1) {
      words.push("字段顺序");
    } else if (rest[0] === "properties") {
      const name = rest[1] as string;
      words.push(`字段「${titles[name] || name}」`);
      for (const part of rest.slice(2)) words.push(PART[part] ?? part);
    } else {
      for (const part of rest) words.push(PART[part] ?? part);
    }
  } else {
    for (const part of rest) words.push(PART[part] ?? part);
  }
  return words.join(" · ");
}

/** The form fields' titles (name → title) of a version, for labelling its changes. */
export function titlesOf(...docs: unknown[]): Record<string, string> {
  const titles: Record<string, string> = {};
  for (const doc of docs) {
    const schema = isObject(doc) ? doc.formSchema : undefined;
    const properties = isObject(schema) ? schema.properties : undefined;
    if (!isObject(properties)) continue;
    for (const [name, property] of Object.entries(properties)) {
      if (isObject(property) && typeof property.title === "string" && !titles[name]) {
        titles[name] = property.title;
      }
    }
  }
  return titles;
}

/** A value as an admin reads it in the list: words, not JSON — a list joined with 、, an
 * object as its parts (标题：…；类型：…), a form field's type in Chinese. */
export function shown(value: Json | undefined): string {
  if (value === undefined) return "（无）";
  if (value === null) return "（空）";
  if (typeof value === "string") return value || "（空）";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    return value.length ? value.map((v) => (isObject(v) ? `（${shown(v)}）` : shown(v))).join("、") : "（空）";
  }
  const parts = Object.entries(value).map(([key, part]) => {
    const text = key === "type" && typeof part === "string" ? TYPES[part] ?? part : shown(part);
    return `${PART[key] ?? LABELS[key] ?? key}：${text}`;
  });
  return parts.join("；") || "（空）";
}

const TYPES: Record<string, string> = {
  string: "文本", number: "数字", integer: "整数", boolean: "是/否", object: "对象", array: "列表",
};

function at(doc: { [key: string]: Json }, parts: string[], create: boolean): { [key: string]: Json } | null {
  let node = doc;
  for (const part of parts) {
    if (!isObject(node[part])) {
      if (!create) return null;
      node[part] = {};
    }
    node = node[part] as { [key: string]: Json };
  }
  return node;
}

/** `doc` with `changes` replayed on it (a copy; doc unchanged). */
export function applyChanges<T>(doc: T, changes: Change[]): T {
  const copy = JSON.parse(JSON.stringify(doc)) as { [key: string]: Json };
  for (const change of changes) {
    const parts = change.path.split(".");
    if (change.kind === "reordered") {
      const node = at(copy, parts, false);
      if (!node || !Array.isArray(change.to)) continue;
      const order = (change.to as string[]).filter((k) => k in node);
      const rest = Object.keys(node).filter((k) => !order.includes(k));
      const entries = [...order, ...rest].map((k) => [k, node[k]] as const);
      for (const k of Object.keys(node)) delete node[k];
      for (const [k, v] of entries) node[k] = v as Json;
      continue;
    }
    const parent = at(copy, parts.slice(0, -1), change.kind !== "removed");
    const last = parts[parts.length - 1] as string;
    if (!parent) continue;
    if (change.kind === "removed") delete parent[last];
    else parent[last] = JSON.parse(JSON.stringify(change.to ?? null)) as Json;
  }
  return copy as T;
}

/** The paths both sides changed (ours overlapping theirs): the admin must look again. */
export function overlapping(ours: Change[], theirs: Change[]): string[] {
  const touches = (a: string, b: string) => a === b || a.startsWith(b + ".") || b.startsWith(a + ".");
  return ours.filter((o) => theirs.some((t) => touches(o.path, t.path))).map((o) => o.path);
}
