// The case file's pure rules: the applicant's form as rows labelled with the item
// version's titles, what the signed-in person may do with a task, working minutes in words.
import type { Schemas } from "../../../lib/api";
import type { Task } from "./inbox";

export interface FormRow {
  label: string;
  value: string;
  depth: number;
  /** the field's dotted path in the form (`contact.phone`): what the case's `dataUse`
   * names its sources by */
  path: string;
}

type SchemaNode = { title?: string; properties?: Record<string, SchemaNode>; type?: unknown };

/** The form's fields in the schema's order (then any the schema does not name), each
 *  labelled by its title (its name where there is none); a nested object as a heading row
 *  and its fields one level in. */
export function formRows(schema: unknown, form: Record<string, unknown> | null | undefined,
                         depth = 0, prefix = ""): FormRow[] {
  const values = form ?? {};
  const properties = ((schema ?? {}) as SchemaNode).properties ?? {};
  const names = [...Object.keys(properties), ...Object.keys(values).filter((k) => !(k in properties))];
  const rows: FormRow[] = [];
  for (const name of names) {
    if (!(name in values)) continue;
    const value = values[name];
    const label = properties[name]?.title ?? name;
    const path = prefix ? `${prefix}.${name}` : name;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      rows.push({ label, value: "", depth, path });
      rows.push(...formRows(properties[name], value as Record<string, unknown>, depth + 1, path));
    } else {
      rows.push({ label, value: Array.isArray(value) ? value.join("、") : value === true ? "是"
        : value === false ? "否" : String(value ?? ""), depth, path });
    }
  }
  return rows;
}

export interface Allowed {
  /** the person's role works this kind of task in this department */
  act: boolean;
  claim: boolean;
  release: boolean;
  /** hand it to a colleague: the department's lead */
  assign: boolean;
  decide: boolean;
  startSpecial: boolean;
  endSpecial: boolean;
}

/** What the signed-in person may do with a task now: the API decides every request, the
 *  page offers only what it would take. */
export function allowed(me: Pick<Schemas["Me"], "sub" | "role" | "departments" | "leads">, task: Task,
                        specialTypes: number): Allowed {
  const leads = me.leads.includes(task.dept);
  const role = task.kind === "acceptance" ? "clerk" : "reviewer";
  const act = me.departments.includes(task.dept) && (me.role === role || leads);
  const free = !task.claimedBy || task.claimedBy === me.sub;
  const live = ["open", "supplement", "special"].includes(task.state);
  return {
    act,
    claim: act && live && !task.claimedBy,
    release: act && live && !!task.claimedBy && (task.claimedBy === me.sub || leads),
    assign: act && live && leads,
    decide: act && free && task.state === "open",
    startSpecial: act && free && task.kind === "review" && task.state === "open" && specialTypes > 0,
    endSpecial: act && free && task.kind === "review" && task.state === "special",
  };
}

/** The titles of the form's top-level fields, by name (what a rule reading `form.<name>`
 *  shows). */
export function formTitles(schema: unknown): Record<string, string> {
  const properties = ((schema ?? {}) as SchemaNode).properties ?? {};
  return Object.fromEntries(Object.entries(properties).map(([name, node]) => [name, node.title ?? name]));
}

/** Working minutes as hours and minutes (the clock counts working time). */
export function duration(minutes: number): { h: number; m: number } {
  const whole = Math.abs(Math.round(minutes));
  return { h: Math.floor(whole / 60), m: whole % 60 };
}
