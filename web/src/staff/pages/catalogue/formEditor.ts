// The application form's fields as a catalogue admin edits them, and the JSON Schema
// (2020-12) they make: each field a property of the schema in the order listed, its Chinese
// title, one of five types (text, number, date, choice, yes/no), required or not, its
// description (the hint under the input) and an example (the placeholder the citizen reads).
// What the editor does not offer (a length, a pattern, a minimum, a nested object) is kept
// as it was read, so editing a title never loses the rules the schema holds; changing a
// field's type drops the rules of the type it had.
import type { JsonSchema } from "../../../lib/form/schemaForm";

export type FieldType = "text" | "number" | "date" | "choice" | "boolean" | "other";

export interface EditableField {
  /** a stable key for the list while names are typed */
  key: number;
  /** the property's name in the form's JSON (what the API and departments read) */
  name: string;
  title: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** examples[0] as text ("" when none) */
  example: string;
  /** a choice's options, in order */
  options: string[];
  /** the property's other keywords, as read (minLength, pattern, integer, …) */
  kept: JsonSchema;
}

export interface EditableForm {
  title: string;
  fields: EditableField[];
  /** the schema's other keywords, as read ($schema, additionalProperties, …) */
  kept: JsonSchema;
}

export const FIELD_TYPES: readonly FieldType[] = ["text", "number", "date", "choice", "boolean"];

// Keywords the editor itself writes for each type; the others are kept.
const EDITED = ["title", "type", "description", "examples", "enum", "format"];
// Rules that belong to one type only: dropped when the field changes type.
const RULES_OF: Record<FieldType, string[]> = {
  text: ["minLength", "maxLength", "pattern"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
  date: ["formatMinimum", "formatMaximum"],
  choice: [],
  boolean: [],
  other: [],
};
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const CHINESE = /[\u3400-\u9fff]/;

let nextKey = 1;

function typeName(schema: JsonSchema): string | undefined {
  const type = schema.type;
  return Array.isArray(type) ? type.find((t) => t !== "null") : type;
}

export function typeOfProperty(schema: JsonSchema): FieldType {
  const type = typeName(schema);
  if (Array.isArray(schema.enum)) return "choice";
  if (type === "boolean") return "boolean";
  if (type === "number" || type === "integer") return "number";
  if (type === "string" && schema.format === "date") return "date";
  if (type === "string" || type === undefined) return "text";
  return "other";  // objects, arrays: shown, moved and removed, never retyped here
}

function without(schema: JsonSchema, keys: string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => !keys.includes(k)));
}

function fieldOf(name: string, schema: JsonSchema, required: boolean): EditableField {
  const type = typeOfProperty(schema);
  const example = Array.isArray(schema.examples) && schema.examples.length
    && typeof schema.examples[0] !== "object" ? String(schema.examples[0]) : "";
  return {
    key: nextKey++, name, type, required,
    title: typeof schema.title === "string" ? schema.title : "",
    description: typeof schema.description === "string" ? schema.description : "",
    example,
    options: Array.isArray(schema.enum) ? schema.enum.map(String) : [],
    // an "other" field keeps everything but what the editor shows
    kept: {
      ...without(schema, type === "other" ? ["title", "description", "examples"] : EDITED),
      ...(typeName(schema) === "integer" && type === "number" ? { type: "integer" } : {}),
    },
  };
}

/** The form as the editor holds it, from an item version's `formSchema`. */
export function editableForm(schema: JsonSchema | undefined): EditableForm {
  const source = schema ?? {};
  const required = new Set(Array.isArray(source.required) ? source.required : []);
  return {
    title: typeof source.title === "string" ? source.title : "",
    fields: Object.entries(source.properties ?? {}).map(
      ([name, property]) => fieldOf(name, property ?? {}, required.has(name))),
    kept: without(source, ["title", "type", "properties", "required"]),
  };
}

/** One field's JSON Schema property. */
export function propertyOf(field: EditableField): JsonSchema {
  const property: JsonSchema = {};
  if (field.title.trim()) property.title = field.title.trim();
  if (field.type === "other") {
    Object.assign(property, field.kept);
  } else {
    const kept = field.kept;
    const integer = field.type === "number" && kept.type === "integer";
    property.type = field.type === "number" ? (integer ? "integer" : "number")
      : field.type === "boolean" ? "boolean" : "string";
    if (field.type === "date") property.format = "date";
    if (field.type === "choice") property.enum = field.options.map((o) => o.trim()).filter(Boolean);
    Object.assign(property, without(kept, ["type"]));
  }
  if (field.description.trim()) property.description = field.description.trim();
  const example = field.example.trim();
  if (example && field.type !== "boolean") {
    const numeric = field.type === "number" && /^[+-]?\d+(\.\d+)?$/.test(example);
    property.examples = [numeric ? Number(example) : example];
  }
  return property;
}

/** The form's JSON Schema: the fields as properties in the order listed. */
export function schemaOf(form: EditableForm): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of form.fields) properties[field.name] = propertyOf(field);
  const required = form.fields.filter((f) => f.required).map((f) => f.name);
  return {
    ...(form.title.trim() ? { title: form.title.trim() } : {}),
    type: "object",
    ...(required.length ? { required } : {}),
    properties,
    ...form.kept,
  };
}

/** A new blank field, named so that it is unique in the form (field1, field2, …). */
export function newField(form: EditableForm): EditableField {
  const taken = new Set(form.fields.map((f) => f.name));
  let n = form.fields.length + 1;
  while (taken.has(`field${n}`)) n += 1;
  return { key: nextKey++, name: `field${n}`, title: "", type: "text", required: false,
           description: "", example: "", options: [], kept: {} };
}

/** The field changed to another type: the rules of its old type dropped. */
export function retyped(field: EditableField, type: FieldType): EditableField {
  if (type === field.type || field.type === "other" || type === "other") return field;
  const kept = without(field.kept, [...RULES_OF[field.type], "type"]);
  return { ...field, type, kept, options: type === "choice" && !field.options.length ? [""] : field.options };
}

/** The list with the item at `index` moved by `delta` places (-1 up, +1 down); the same
 * list when it cannot move. */
export function moved<T>(list: T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** What is wrong with the form before the API is asked, in Chinese, keyed as the editor's
 * inputs are (`title`, `<key>.name`, `<key>.title`, `<key>.options`). A missing title is
 * the one the API refuses at publishing (form_title_missing): the editor says so early. */
export function problemsOf(form: EditableForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!CHINESE.test(form.title)) problems.title = "申请表标题须含中文";
  const seen = new Map<string, number>();
  for (const field of form.fields) seen.set(field.name, (seen.get(field.name) ?? 0) + 1);
  for (const field of form.fields) {
    if (!NAME.test(field.name)) {
      problems[`${field.key}.name`] = "字段名须以英文字母开头，只含英文字母、数字和下划线";
    } else if ((seen.get(field.name) ?? 0) > 1) {
      problems[`${field.key}.name`] = `字段名 ${field.name} 重复`;
    }
    if (!CHINESE.test(field.title)) problems[`${field.key}.title`] = "字段标题须含中文";
    if (field.type === "choice" && !field.options.some((o) => o.trim())) {
      problems[`${field.key}.options`] = "选择题至少要有一个选项";
    }
  }
  return problems;
}

/** The editor's input an API error's `field` names (`item.formSchema.title`,
 * `item.formSchema.properties.address.title`), as a key of problemsOf; null when the error
 * is about something else. */
export function editorKeyOfApiError(form: EditableForm, field: string | undefined | null): string | null {
  if (!field) return null;
  const path = field.replace(/^item\./, "");
  if (!path.startsWith("formSchema")) return null;
  const parts = path.split(".").slice(1);
  if (parts[0] !== "properties" || parts.length < 2) return "title";
  const target = form.fields.find((f) => f.name === parts[1]);
  if (!target) return "title";
  const what = parts[2] === "enum" ? "options" : "title";
  return `${target.key}.${what}`;
}
