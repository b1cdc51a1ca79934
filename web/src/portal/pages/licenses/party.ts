// Whose licenses, materials and access log a page shows: the signed-in person's own, or a
// company's they are an authorised agent of (the token's `acts_for`; the API's `?for=`).
// The choice lives in the address (`?for=<USCC>`), so it survives a reload and a link.
import { computed } from "vue";
import { useRoute, useRouter } from "vue-router";
import { useAuth } from "../../../lib/auth";

export function useParty() {
  const auth = useAuth();
  const route = useRoute();
  const router = useRouter();
  const companies = computed(() => auth.profile?.acts_for ?? []);
  const chosen = computed(() => {
    const asked = typeof route.query.for === "string" ? route.query.for : "";
    return companies.value.some((c) => c.uscc === asked) ? asked : "";
  });
  /** the query the API takes: `{ for }` for a company, nothing for oneself */
  const forQuery = computed(() => (chosen.value ? { for: chosen.value } : {}));
  const holderName = computed(() =>
    companies.value.find((c) => c.uscc === chosen.value)?.name ?? auth.profile?.name ?? "");
  function choose(uscc: string): void {
    const query = { ...route.query };
    if (uscc) query.for = uscc;
    else delete query.for;
    void router.replace({ query });
  }
  return { companies, chosen, forQuery, holderName, choose };
}
