// An application being filled in: kept in the browser (localStorage, one per user and
// item) at every change, so a closed tab or a lost connection loses nothing, and resumed
// when the person comes back. Its Idempotency-Key is made once, with the draft: every
// submission of this draft — a double click, a retry after a timeout, the tab reopened
// after a submit whose answer never came — is the same request to the API, which makes
// one case of it. The key is never renewed within a draft: the API answers a reused key
// with another body as 422 idempotency_key_reused, which means a case was made already.
//
// Where the item uses base data (数据共享), the draft also keeps what the applicant chose when
// asked for consent, and on consent the prefill (免填: the values, their sources, the
// materials a registry record stands in for, the token the case records them by), for the
// applicant it was given for: another applicant chosen later makes it void.
import type { Schemas } from "../../../lib/api";
import { dataMaterials, withPrefilled, type Registry } from "../../../lib/dataSharing";
import type { FormValues } from "../../../lib/form/schemaForm";

export type MaterialWay = "upload" | "mine" | "license" | "none";

export interface MaterialChoice {
  way: MaterialWay;
  materialId?: string | undefined;
  fileName?: string | undefined;
  licenseId?: string | undefined;
  licenseName?: string | undefined;
}

export interface DataUseChoice {
  /** consented (and prefilled), declined (filled by hand), or not asked yet */
  decision: "consented" | "declined" | null;
  /** the applicant (Draft.applicant) it was made for */
  applicant?: string | null;
  consentId?: string;
  prefill?: Schemas["Prefill"] | null;
}

export interface Draft {
  itemCode: string;
  itemVersion: number | null;
  step: number;
  /** who applies: "self", or the USCC of a company the user is an agent of */
  applicant: string | null;
  phone: string;
  values: FormValues;
  /** by the catalogue material's name */
  materials: Record<string, MaterialChoice>;
  /** consent to the use of base data, and its prefill */
  dataUse: DataUseChoice;
  idempotencyKey: string;
  savedAt: string;
}

const PREFIX = "onewindow.apply.";

export function draftKey(sub: string, itemCode: string): string {
  return `${PREFIX}${sub}.${itemCode}`;
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function newDraft(itemCode: string, makeKey: () => string = newIdempotencyKey): Draft {
  return { itemCode, itemVersion: null, step: 0, applicant: null, phone: "", values: {},
           materials: {}, dataUse: { decision: null }, idempotencyKey: makeKey(),
           savedAt: new Date().toISOString() };
}

export function loadDraft(storage: Storage, sub: string, itemCode: string): Draft | null {
  const raw = storage.getItem(draftKey(sub, itemCode));
  if (!raw) return null;
  try {
    const draft = JSON.parse(raw) as Partial<Draft>;
    if (draft.itemCode !== itemCode || typeof draft.idempotencyKey !== "string" || !draft.idempotencyKey) {
      return null;
    }
    const loaded = { ...newDraft(itemCode, () => draft.idempotencyKey as string), ...draft } as Draft;
    if (!loaded.dataUse || typeof loaded.dataUse !== "object") loaded.dataUse = { decision: null };
    return loaded;
  } catch {
    return null;  // not ours, or damaged: start afresh
  }
}

export function saveDraft(storage: Storage, sub: string, draft: Draft): Draft {
  const saved = { ...draft, savedAt: new Date().toISOString() };
  try {
    storage.setItem(draftKey(sub, draft.itemCode), JSON.stringify(saved));
  } catch {
    // storage full or refused (private mode): the form still works, unsaved
  }
  return saved;
}

export function discardDraft(storage: Storage, sub: string, itemCode: string): void {
  storage.removeItem(draftKey(sub, itemCode));
}

/** The consent and prefill that stand for the draft's applicant now (a choice made for
 * another applicant does not), or null. */
export function dataUseOf(draft: Draft): DataUseChoice | null {
  const choice = draft.dataUse;
  return choice && choice.decision && choice.applicant === draft.applicant ? choice : null;
}

/** The materials a registry record stands in for in this draft (免提交 by data): name ->
 * the registry. */
export function materialsFromData(draft: Draft): Map<string, Registry> {
  const choice = dataUseOf(draft);
  return choice?.decision === "consented" ? dataMaterials(choice.prefill) : new Map();
}

/** The application as POST /cases takes it: with the consent and the prefill's token when
 * consented (prefilled values as they were given, materials a record stands in for not
 * named). */
export function applicationBody(draft: Draft, applicant: Schemas["Applicant"],
                                form: Record<string, unknown>): Schemas["Application"] {
  const choice = dataUseOf(draft);
  const consented = choice?.decision === "consented" && !!choice.consentId;
  const byData = materialsFromData(draft);
  const materials: Schemas["MaterialRef"][] = [];
  for (const [name, given] of Object.entries(draft.materials)) {
    if (byData.has(name)) continue;
    if ((given.way === "upload" || given.way === "mine") && given.materialId) {
      materials.push({ name, materialId: given.materialId });
    } else if (given.way === "license" && given.licenseId) {
      materials.push({ name, licenseId: given.licenseId });
    }
  }
  if (!consented) return { itemCode: draft.itemCode, channel: "web", applicant, form, materials };
  const prefill = choice.prefill ?? null;
  return { itemCode: draft.itemCode, channel: "web", applicant,
           form: withPrefilled(form, prefill, draft.values), materials,
           consentId: choice.consentId ?? null, ...(prefill?.token ? { prefill: prefill.token } : {}) };
}

/** The catalogue material an API error names by its place in the application
 * (`materials.1.materialId` → the second material sent), or null. */
export function materialOfApiError(application: Schemas["Application"] | null,
                                   index: number | null): string | null {
  if (index === null || !application?.materials) return null;
  return application.materials[index]?.name ?? null;
}

/** `run`, but while a call is under way a second one gets the same answer instead of
 * starting another (a double click submits once). */
export function oneAtATime<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    if (!running) {
      running = run().finally(() => { running = null; });
    }
    return running;
  };
}
