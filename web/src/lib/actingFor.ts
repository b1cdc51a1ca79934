// Who the signed-in applicant acts as: itself, or (an agent, 代办) a company it is an
// authorised agent of. The choice is the person's, remembered for this tab's session
// (sessionStorage, per user; the store `useActingFor`); pages pass it on (`?for=`, an
// application's applicant, an upload's holder). A page that lists a party's data takes it
// from its address (`?for=<USCC>`, so a reload or a link keeps it) and, where the address
// names none, from the session's choice (`useParty`). Which companies may be chosen is the
// identity provider's word: the `acts_for` claim ({uscc, name}), checked by the API on
// every call.
import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import { useRoute, useRouter } from "vue-router";
import { useAuth } from "./auth";

export interface Company {
  uscc: string;
  name: string;
}

const STORAGE_PREFIX = "onewindow.actingFor.";

/** Whether an 18-character ID is a valid 公民身份号码 (GB 11643: ISO 7064 MOD 11-2). */
export function isCitizenId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, w, i) => total + w * Number(id[i]), 0);
  return "10X98765432"[sum % 11] === id[17];
}

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** Whether an ID is a valid 统一社会信用代码 (GB 32100: its check character, MOD 31). */
export function isUscc(id: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(id)) return false;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = weights.reduce((total, w, i) => total + w * USCC_CHARS.indexOf(id[i] as string), 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === id[17];
}

/** A person (natural) or a company (legal), by the ID number its sign-in carries. */
export function subjectType(idNumber: string | null | undefined): "natural" | "legal" | null {
  const id = (idNumber ?? "").trim().toUpperCase();
  if (isCitizenId(id)) return "natural";
  if (isUscc(id)) return "legal";
  return null;
}

/** The companies an agent may act for, from the profile's `acts_for` claim. */
export function companiesOf(claim: unknown): Company[] {
  if (!Array.isArray(claim)) return [];
  return claim.filter((c): c is Company =>
    !!c && typeof c === "object" && typeof (c as Company).uscc === "string"
    && typeof (c as Company).name === "string");
}

export const useActingFor = defineStore("actingFor", () => {
  const auth = useAuth();
  const companies = computed(() => companiesOf(auth.profile?.acts_for));
  const key = computed(() => STORAGE_PREFIX + (auth.profile?.sub ?? ""));
  const chosen = ref<string | null>(null);

  function restore(): void {
    const saved = auth.profile ? window.sessionStorage.getItem(key.value) : null;
    chosen.value = saved && companies.value.some((c) => c.uscc === saved) ? saved : null;
  }
  restore();
  watch(() => auth.profile?.sub, restore);

  /** The company acted for (null: oneself). */
  const company = computed(() => companies.value.find((c) => c.uscc === chosen.value) ?? null);

  function choose(uscc: string | null): void {
    chosen.value = uscc && companies.value.some((c) => c.uscc === uscc) ? uscc : null;
    if (chosen.value) window.sessionStorage.setItem(key.value, chosen.value);
    else window.sessionStorage.removeItem(key.value);
  }

  return { companies, chosen, company, choose };
});

/**
 * The party a page shows: with `address` (default), the address's `?for=` when it names
 * one (a company acted for, or empty: oneself), else the session's choice; choosing sets
 * both. Without `address`, the session's choice only (the /me page).
 */
export function useParty(options: { address?: boolean } = {}) {
  const address = options.address ?? true;
  const acting = useActingFor();
  const route = address ? useRoute() : null;
  const router = address ? useRouter() : null;
  const companies = computed(() => acting.companies);
  /** the chosen company's USCC; "" for oneself */
  const chosen = computed(() => {
    const asked = route?.query.for;
    if (typeof asked === "string") return companies.value.some((c) => c.uscc === asked) ? asked : "";
    return acting.chosen ?? "";
  });
  /** the query the API takes: `{ for }` for a company, nothing for oneself */
  const forQuery = computed<{ for?: string }>(() => (chosen.value ? { for: chosen.value } : {}));
  function choose(uscc: string): void {
    acting.choose(uscc || null);
    if (!route || !router) return;
    const query = { ...route.query };
    if (uscc) query.for = uscc;
    else delete query.for;
    void router.replace({ query });
  }
  return { companies, chosen, forQuery, choose };
}
