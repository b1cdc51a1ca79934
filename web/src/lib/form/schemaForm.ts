// The application form as an item version's JSON Schema (2020-12) describes it: the fields
// to render (label from `title`, hint from `description` and `examples`, the order as the
// properties are listed), what a person types turned into the JSON the API checks, the
// same rules checked in the browser with Chinese messages, and the API's `error.field`
// (`form.address`, `materials.0.materialId`) taken back to the input it names.
//
// Only the keywords the renderer understands are checked here; the API checks the whole
// schema, and what it refuses comes back through `fieldOfApiError`.

export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
};

export type FieldKind = "text" | "textarea" | "select" | "radio" | "number" | "integer"
  | "boolean" | "date" | "object";

export interface FieldSpec {
  /** dotted path inside the form, e.g. `address` or `contact.phone` */
  path: string;
  name: string;
  label: string;
  hint: string;
  kind: FieldKind;
  required: boolean;
  schema: JsonSchema;
  options: string[];
  children: FieldSpec[];
}

/** What the inputs hold: text as typed (numbers too), booleans, nested objects. */
export type FormValues = { [name: string]: string | boolean | FormValues | undefined };

/** The keywords the renderer and its checks understand; the demo items use no other
 * (schemaForm.test.ts checks every shipped item's schema against this list). */
export const UNDERSTOOD_KEYWORDS = new Set([
  "type", "title", "description", "examples", "enum", "default", "format", "minLength",
  "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "properties", "required", "additionalProperties", "x-order", "propertyOrder", "$schema",
  "$id",
  // 免填: the field's value comes from base data (and whether the applicant may change it);
  // the application page fills it from GET /items/{code}/prefill.
  "x-source", "x-source-editable",
]);

/** An enum with at most this many options is a radio group; more, a select. */
const RADIO_AT_MOST = 4;
/** Text longer than this may be typed over several lines. */
const TEXTAREA_FROM = 300;

function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((t) => t !== "null");
  return type;
}

function kindOf(schema: JsonSchema): FieldKind {
  const type = typeOf(schema);
  if (Array.isArray(schema.enum)) return schema.enum.length <= RADIO_AT_MOST ? "radio" : "select";
  if (type === "boolean") return "boolean";
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (type === "object") return "object";
  if (schema.format === "date") return "date";
  if ((schema.maxLength ?? 0) > TEXTAREA_FROM) return "textarea";
  return "text";
}

function hintOf(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description);
  const example = Array.isArray(schema.examples) ? schema.examples[0] : undefined;
  if (example !== undefined && example !== null && typeof example !== "object") {
    parts.push(`例如：${String(example)}`);
  }
  return parts.join("；");
}

/** The properties in order: as listed, unless the schema names an order (`x-order` or
 * `propertyOrder`: the names first, the rest as listed). */
function orderedNames(schema: JsonSchema): string[] {
  const listed = Object.keys(schema.properties ?? {});
  const named = (schema["x-order"] ?? schema.propertyOrder) as unknown;
  if (!Array.isArray(named)) return listed;
  const first = named.filter((n): n is string => typeof n === "string" && listed.includes(n));
  return [...first, ...listed.filter((n) => !first.includes(n))];
}

/** The fields of an object schema, in order, nested objects as groups. */
export function fieldsOf(schema: JsonSchema, prefix = ""): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return orderedNames(schema).map((name) => {
    const sub = (schema.properties ?? {})[name] ?? {};
    const path = prefix ? `${prefix}.${name}` : name;
    const kind = kindOf(sub);
    return {
      path, name, kind, schema: sub,
      label: typeof sub.title === "string" && sub.title.trim() ? sub.title.trim() : name,
      hint: hintOf(sub),
      required: required.has(name),
      options: Array.isArray(sub.enum) ? sub.enum.map(String) : [],
      children: kind === "object" ? fieldsOf(sub, path) : [],
    };
  });
}

/** Every field that takes a value (nested groups flattened). */
export function leaves(fields: FieldSpec[]): FieldSpec[] {
  return fields.flatMap((f) => (f.kind === "object" ? leaves(f.children) : [f]));
}

export function valueAt(values: FormValues, path: string): string | boolean | FormValues | undefined {
  let node: FormValues | string | boolean | undefined = values;
  for (const part of path.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = node[part];
  }
  return node;
}

export function setValueAt(values: FormValues, path: string, value: string | boolean | undefined): void {
  const parts = path.split(".");
  let node = values;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== "object") node[part] = {};
    node = node[part] as FormValues;
  }
  node[parts[parts.length - 1] as string] = value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Characters as JSON Schema counts them (code points, not UTF-16 units). */
function length(text: string): number {
  return Array.from(text).length;
}

/** What is wrong with one field's value, in Chinese, or null. */
export function checkField(field: FieldSpec, value: unknown): string | null {
  const s = field.schema;
  if (field.kind === "boolean") {
    if (field.required && value === undefined) return `请选择${field.label}`;
    return null;
  }
  if (isBlank(value)) {
    if (!field.required) return null;
    return field.kind === "radio" || field.kind === "select" || field.kind === "date"
      ? `请选择${field.label}` : `请填写${field.label}`;
  }
  const text = String(value).trim();
  if (field.kind === "radio" || field.kind === "select") {
    return field.options.includes(text) ? null : `请从列出的选项中选择${field.label}`;
  }
  if (field.kind === "number" || field.kind === "integer") {
    if (!NUMBER.test(text)) return `${field.label}须为数字`;
    const n = Number(text);
    if (field.kind === "integer" && !Number.isInteger(n)) return `${field.label}须为整数`;
    if (s.minimum !== undefined && n < s.minimum) return `${field.label}不能小于 ${s.minimum}`;
    if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) return `${field.label}须大于 ${s.exclusiveMinimum}`;
    if (s.maximum !== undefined && n > s.maximum) return `${field.label}不能大于 ${s.maximum}`;
    if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) return `${field.label}须小于 ${s.exclusiveMaximum}`;
    return null;
  }
  if (field.kind === "date" && !isDate(text)) return `${field.label}须为有效日期（年-月-日）`;
  if (s.minLength !== undefined && length(text) < s.minLength) return `${field.label}至少 ${s.minLength} 个字`;
  if (s.maxLength !== undefined && length(text) > s.maxLength) return `${field.label}最多 ${s.maxLength} 个字`;
  if (s.pattern !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(s.pattern, "u");
    } catch {
      pattern = undefined;  // a pattern the browser cannot read: the API checks it
    }
    if (pattern && !pattern.test(text)) {
      const example = Array.isArray(s.examples) && s.examples.length ? `，例如 ${String(s.examples[0])}` : "";
      return `${field.label}格式不正确${example}`;
    }
  }
  return null;
}

/** Every field's error (by path); empty when the form may be sent. */
export function checkForm(fields: FieldSpec[], values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of leaves(fields)) {
    const error = checkField(field, valueAt(values, field.path));
    if (error) errors[field.path] = error;
  }
  return errors;
}

/** The form as the API takes it: text trimmed, numbers as numbers, blanks left out. */
export function formBody(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === "object") {
      const nested = formBody(field.children, (value && typeof value === "object" ? value : {}) as FormValues);
      if (Object.keys(nested).length) body[field.name] = nested;
      continue;
    }
    if (field.kind === "boolean") {
      if (typeof value === "boolean") body[field.name] = value;
      continue;
    }
    if (isBlank(value)) continue;
    const text = String(value).trim();
    body[field.name] = (field.kind === "number" || field.kind === "integer") && NUMBER.test(text)
      ? Number(text) : text;
  }
  return body;
}

/** Where an API error belongs: a form field (its path), a material (its index), the
 * applicant (its field), or the page as a whole. */
export type ErrorPlace =
  | { area: "form"; path: string }
  | { area: "materials"; index: number | null; field: string | null }
  | { area: "applicant"; field: string }
  | { area: "page" };

export function placeOfApiError(field: string | undefined | null): ErrorPlace {
  if (!field) return { area: "page" };
  const [head, ...rest] = field.split(".");
  if (head === "form" && rest.length) return { area: "form", path: rest.join(".") };
  if (head === "materials") {
    const index = rest.length && /^\d+$/.test(rest[0] as string) ? Number(rest[0]) : null;
    return { area: "materials", index, field: rest.slice(index === null ? 0 : 1).join(".") || null };
  }
  if (head === "applicant" && rest.length) return { area: "applicant", field: rest.join(".") };
  return { area: "page" };
}

/** The form field an API error names, as the nearest field the form renders (an error on
 * `form.address.street` of a form that renders `address` whole goes to `address`). */
export function fieldOfApiError(fields: FieldSpec[], field: string | undefined | null): string | null {
  const place = placeOfApiError(field);
  if (place.area !== "form") return null;
  const paths = new Set(leaves(fields).map((f) => f.path));
  const parts = place.path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join(".");
    if (paths.has(candidate)) return candidate;
  }
  return null;
}

/** An input's id for a field path (ids cannot hold dots for CSS and fragment links). */
export function inputId(path: string): string {
  return "form-" + path.replace(/[^A-Za-z0-9_-]/g, "-");
}
