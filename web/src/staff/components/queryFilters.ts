// A list's filters kept in the address: the form's values follow the query (a link or the
// back button sets them), the list is read again whenever the query changes, and applying
// the form replaces the query with the values chosen (empty ones left out).
import { reactive, watch } from "vue";
import { useRoute, useRouter } from "vue-router";
import { queryValue } from "./oversight";

export function useQueryFilters<K extends string>(defaults: Record<K, string>, reload: () => unknown) {
  const route = useRoute();
  const router = useRouter();
  const filters = reactive({ ...defaults }) as Record<K, string>;
  const keys = Object.keys(defaults) as K[];

  watch(() => route.query, () => {
    // a filter the address does not name takes its default
    for (const key of keys) filters[key] = queryValue(route.query[key]) || defaults[key];
    void reload();
  }, { immediate: true });

  function apply(): void {
    void router.replace({ query: Object.fromEntries(Object.entries<string>(filters).filter(([, value]) => value)) });
  }

  return { filters, apply };
}
