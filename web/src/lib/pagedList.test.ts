import { describe, expect, it } from "vitest";
import { usePagedList, type Page } from "./pagedList";

/** A fake API: pages of two letters, answered when the test says. */
function pagesOf(letters: string[]) {
  const asked: { cursor: string | undefined; answer: () => void; fail: (e: unknown) => void }[] = [];
  const fetchPage = (cursor?: string) => new Promise<Page<string>>((resolve, reject) => {
    const start = cursor ? Number(cursor) : 0;
    const end = start + 2;
    asked.push({ cursor, fail: reject,
                 answer: () => resolve({ items: letters.slice(start, end), next: end < letters.length ? String(end) : null }) });
  });
  return { asked, fetchPage };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a list the API answers page by page", () => {
  it("loads the first page, then appends the next by its cursor until there is none", async () => {
    const api = pagesOf(["a", "b", "c"]);
    const list = usePagedList(api.fetchPage);
    const first = list.load();
    expect(list.loading.value).toBe(true);
    api.asked[0]!.answer();
    await first;
    expect([list.items.value, list.next.value, list.loading.value, list.loaded.value]).toEqual([["a", "b"], "2", false, true]);
    const more = list.more();
    expect(api.asked[1]!.cursor).toBe("2");
    api.asked[1]!.answer();
    await more;
    expect(list.items.value).toEqual(["a", "b", "c"]);
    expect(list.next.value).toBeNull();
    await list.more();                                   // nothing after the last page
    expect(api.asked).toHaveLength(2);
  });

  it("keeps the error for the page to show, and clears it on the next try", async () => {
    const api = pagesOf(["a"]);
    const list = usePagedList(api.fetchPage);
    const first = list.load();
    api.asked[0]!.fail(new Error("503"));
    await first;
    expect((list.error.value as Error).message).toBe("503");
    expect([list.loading.value, list.loaded.value]).toEqual([false, false]);
    const again = list.load();
    expect(list.error.value).toBeNull();
    api.asked[1]!.answer();
    await again;
    expect(list.items.value).toEqual(["a"]);
  });

  it("drops the answer to a load that a newer one superseded", async () => {
    const api = pagesOf(["a", "b", "c", "d"]);
    const list = usePagedList(api.fetchPage);
    const old = list.load();
    const fresh = list.load();
    api.asked[1]!.answer();
    await fresh;
    api.asked[0]!.fail(new Error("late"));
    await old;
    await settled();
    expect(list.items.value).toEqual(["a", "b"]);
    expect(list.error.value).toBeNull();
  });

  it("hands each new page's rows to afterPage while still loading", async () => {
    const api = pagesOf(["a", "b", "c"]);
    const seen: string[][] = [];
    const list = usePagedList(api.fetchPage, { afterPage: async (rows) => {
      seen.push(rows);
      expect(list.loading.value).toBe(true);
    } });
    const first = list.load();
    api.asked[0]!.answer();
    await first;
    const more = list.more();
    api.asked[1]!.answer();
    await more;
    expect(seen).toEqual([["a", "b"], ["c"]]);
  });
});
