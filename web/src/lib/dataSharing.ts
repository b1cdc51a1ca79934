// Base data instead of paperwork (数据共享), as the portal and the workbench show it: what an
// item asks consent to (the registries, the fields read, the purpose), the form values and
// materials a prefill gives (免填, 免提交), the rules an application was checked by (秒批:
// each rule, held or not, what it read and why not), and the basis a registry was asked
// on. Pure: the words are the pages' messages (lib/messages/<locale>/data.ts, dataLabels.ts).
import type { Schemas } from "./api";
import type { FormValues } from "./form/schemaForm";

export type Registry = Schemas["ConsentTerms"]["registries"][number];
export const REGISTRIES: readonly Registry[] = ["population", "legalPerson", "credit"];

/** A source's path (`population.registeredAddress`, `history.open`, `form.payout`) split
 * at its first dot; null when there is none. */
export function splitPath(path: string): { source: string; field: string } | null {
  const dot = path.indexOf(".");
  if (dot <= 0 || dot === path.length - 1) return null;
  return { source: path.slice(0, dot), field: path.slice(dot + 1) };
}

/** One line of a consent's `fields`, as the API states them: a registry's field
 * (`legalPerson.name`), a material a registry's record stands in for
 * (`legalPerson（代替材料：营业执照）`), or anything else, shown as it is. */
export type TermField =
  | { kind: "field"; source: string; field: string }
  | { kind: "material"; registry: string; material: string }
  | { kind: "text"; text: string };

const STANDS_IN = /^([A-Za-z]+)（代替材料：(.+)）$/;

export function termField(text: string): TermField {
  const material = STANDS_IN.exec(text);
  if (material) return { kind: "material", registry: material[1] as string, material: material[2] as string };
  const path = /^[A-Za-z]+\.[A-Za-z0-9_.]+$/.test(text) ? splitPath(text) : null;
  return path ? { kind: "field", ...path } : { kind: "text", text };
}

/** A value a rule read, as a trace shows it (already masked by the API). */
export type ShownValue = { kind: "none" } | { kind: "bool"; value: boolean } | { kind: "text"; text: string };

export function shownValue(value: unknown): ShownValue {
  if (value === null || value === undefined || value === "") return { kind: "none" };
  if (typeof value === "boolean") return { kind: "bool", value };
  if (Array.isArray(value)) {
    return value.length ? { kind: "text", text: value.map((v) => String(v)).join("、") } : { kind: "none" };
  }
  if (typeof value === "object") return { kind: "text", text: "…" };
  return { kind: "text", text: String(value) };
}

type RuleCheck = Schemas["RuleCheck"];
type RuleStep = Schemas["RuleStep"];

export interface RuleSummary {
  outcome: RuleCheck["outcome"];
  total: number;
  held: RuleStep[];
  failed: RuleStep[];
}

/** The rules that held and those that did not, in the order the version lists them. */
export function ruleSummary(check: RuleCheck): RuleSummary {
  return {
    outcome: check.outcome,
    total: check.trace.length,
    held: check.trace.filter((step) => step.held),
    failed: check.trace.filter((step) => !step.held),
  };
}

/** A timeline entry `rules_checked` (its detail: outcome, trace, notes), or null for any
 * other entry or one whose detail is not a check. */
export function ruleCheckOfEntry(entry: Pick<Schemas["TimelineEntry"], "action" | "detail">): RuleSummary | null {
  if (entry.action !== "rules_checked" || !entry.detail) return null;
  const { outcome, trace } = entry.detail as { outcome?: unknown; trace?: unknown };
  if ((outcome !== "approved" && outcome !== "referred") || !Array.isArray(trace)) return null;
  const steps = trace.filter((s): s is RuleStep => !!s && typeof s === "object" && typeof (s as RuleStep).name === "string");
  return ruleSummary({ outcome, trace: steps, ruleSet: "", checkedAt: "" });
}

/** What a registry was asked on (an access-log entry's `basis`): the holder's consent, a
 * law, or something else shown as it is. */
export type Basis = { kind: "consent"; consentId: string } | { kind: "law"; citation: string } | { kind: "other"; text: string };

export function basisOf(basis: string | null | undefined): Basis | null {
  if (!basis) return null;
  if (basis.startsWith("consent:") && basis.length > "consent:".length) {
    return { kind: "consent", consentId: basis.slice("consent:".length) };
  }
  if (basis.startsWith("law:") && basis.slice("law:".length).trim()) {
    return { kind: "law", citation: basis.slice("law:".length).trim() };
  }
  return { kind: "other", text: basis };
}

type Prefill = Schemas["Prefill"];

/** A prefilled value as the form's inputs hold it: text (numbers as typed), a boolean;
 * none for what no input takes (a list, an object). */
function asInput(value: unknown): string | boolean | undefined {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The form values a prefill gives, by field. */
export function prefilledValues(prefill: Prefill): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const [name, field] of Object.entries(prefill.fields)) {
    const value = asInput(field.value);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** The prefilled fields the applicant may not change. */
export function lockedFields(prefill: Prefill | null | undefined): string[] {
  return Object.entries(prefill?.fields ?? {}).filter(([, f]) => !f.editable).map(([name]) => name);
}

function sameValue(typed: FormValues[string], given: unknown): boolean {
  const value = asInput(given);
  if (value === undefined) return false;   // no input holds it: the form never carried it
  if (typeof typed === "string" && typeof value === "string") return typed.trim() === value.trim();
  return typed === value;
}

/** The prefilled fields the applicant has changed since (editable ones only can be). */
export function changedFields(prefill: Prefill | null | undefined, values: FormValues): string[] {
  return Object.entries(prefill?.fields ?? {})
    .filter(([name, f]) => !sameValue(values[name], f.value))
    .map(([name]) => name);
}

/** The form as POST /cases takes it with a prefill: a value left as it was given goes as
 * it was given (so the case records its source: a number stays a number, text is not
 * trimmed), a locked one always. */
export function withPrefilled(form: Record<string, unknown>, prefill: Prefill | null | undefined,
                              values: FormValues): Record<string, unknown> {
  if (!prefill) return form;
  const body = { ...form };
  for (const [name, field] of Object.entries(prefill.fields)) {
    if (!field.editable || sameValue(values[name], field.value)) body[name] = field.value;
  }
  return body;
}

/** The materials a registry's record stands in for: material name -> the registry. */
export function dataMaterials(prefill: Prefill | null | undefined): Map<string, Registry> {
  return new Map((prefill?.materials ?? []).map((m) => [m.name, m.registry]));
}
