// The words for base data (lib/messages/<locale>/data.ts) over lib/dataSharing.ts's shapes:
// a registry's name, a field read of it, a line of a consent's terms, a value a rule read.
// Whatever the messages do not name is shown as the API says it, never hidden.
import { useI18n } from "vue-i18n";
import { shownValue, splitPath, termField } from "./dataSharing";

export function useDataLabels() {
  const { t, te } = useI18n();

  /** 人口库, 法人库, 信用信息库 (and the other sources a rule reads: history, form). */
  function registry(name: string): string {
    const key = `data.registry.${name}`;
    return te(key) ? t(key) : name;
  }

  /** `population.age` as 人口库：年龄; a form field by the title given (`formLabels`). */
  function field(path: string, formLabels: Record<string, string> = {}): string {
    const parts = splitPath(path);
    if (!parts) return path;
    const key = `data.field.${parts.source}.${parts.field}`;
    const name = parts.source === "form" ? (formLabels[parts.field] ?? parts.field)
      : te(key) ? t(key) : parts.field;
    return t("data.fieldOf", { registry: registry(parts.source), field: name });
  }

  /** A line of what a consent covers (GET /items/{code}/consent-terms `fields`). */
  function term(text: string): string {
    const line = termField(text);
    if (line.kind === "field") return field(`${line.source}.${line.field}`);
    if (line.kind === "material") return t("data.standsIn", { registry: registry(line.registry), material: line.material });
    return line.text;
  }

  /** A value a rule read (masked by the API), in words. */
  function value(given: unknown): string {
    const shown = shownValue(given);
    if (shown.kind === "none") return t("data.none");
    if (shown.kind === "bool") return shown.value ? t("data.yes") : t("data.no");
    return shown.text;
  }

  /** 来自法人库, by a prefilled value's source (`legalPerson.name`). */
  function fromSource(source: string): string {
    return t("data.fromSource", { source: registry(splitPath(source)?.source ?? source) });
  }

  return { registry, field, term, value, fromSource };
}
