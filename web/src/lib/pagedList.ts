// A list the API answers a page at a time (`next`: the cursor of the page after, null at the
// end): the first page, "load more", and the loading and error state a page shows. A reload
// (e.g. another party chosen) replaces the list; an answer to a request since superseded is
// dropped, so a slow first answer never overwrites a newer one.
import { ref, type Ref } from "vue";

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PagedListOptions<T> {
  /** after a page is in the list (still loading): e.g. fetch more about its rows */
  afterPage?: (rows: T[]) => Promise<void>;
}

export function usePagedList<T>(fetchPage: (cursor?: string) => Promise<Page<T>>,
                                options: PagedListOptions<T> = {}) {
  const items = ref([]) as Ref<T[]>;
  const next = ref<string | null>(null);
  const loading = ref(false);
  /** the first page has been answered */
  const loaded = ref(false);
  const error = ref<unknown>(null);
  let generation = 0;

  async function fetchInto(cursor: string | undefined, run: number): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const page = await fetchPage(cursor);
      if (run !== generation) return;
      const before = cursor ? items.value.length : 0;
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      next.value = page.next;
      loaded.value = true;
      if (options.afterPage) await options.afterPage(items.value.slice(before));
    } catch (cause) {
      if (run === generation) error.value = cause;
    } finally {
      if (run === generation) loading.value = false;
    }
  }

  /** the first page, replacing the list */
  function load(): Promise<void> {
    generation += 1;
    return fetchInto(undefined, generation);
  }

  /** the page after the last one, appended */
  function more(): Promise<void> {
    if (!next.value) return Promise.resolve();
    return fetchInto(next.value, generation);
  }

  /** empty, as before the first page (pending answers dropped) */
  function clear(): void {
    generation += 1;
    items.value = [];
    next.value = null;
    loaded.value = false;
    loading.value = false;
    error.value = null;
  }

  return { items, next, loading, loaded, error, load, more, clear };
}
