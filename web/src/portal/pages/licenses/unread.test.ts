import { beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";

const answers: Array<() => Promise<unknown>> = [];
const calls: unknown[] = [];
vi.mock("../../../lib/api", async (original) => ({
  ...(await original<typeof import("../../../lib/api")>()),
  api: () => ({
    GET: (path: string, options: unknown) => { calls.push([path, options]); return answers.shift()!(); },
  }),
}));

const { useUnread } = await import("./unread");
const ok = (body: unknown) => () => Promise.resolve({ data: body, response: new Response("{}") });
const note = (id: string, read: boolean) => ({ id, read });

describe("the unread count in the frame's header", () => {
  beforeEach(() => { setActivePinia(createPinia()); answers.length = 0; calls.length = 0; });

  it("asks for the unread ones only and counts them", async () => {
    answers.push(ok({ notifications: [note("a", false), note("b", false)], next: null }));
    const unread = useUnread();
    await unread.refresh();
    expect(unread.count).toBe(2);
    expect(unread.more).toBe(false);
    expect(calls[0]).toEqual(["/me/notifications", { params: { query: { unread: "true", limit: 99 } } }]);
  });

  it("says there are more when a further page exists, and drops once one is read", async () => {
    answers.push(ok({ notifications: [note("a", false)], next: "cursor" }));
    answers.push(ok({ notifications: [], next: null }));
    const unread = useUnread();
    await unread.refresh();
    expect([unread.count, unread.more]).toEqual([1, true]);
    await unread.refresh();
    expect([unread.count, unread.more]).toEqual([0, false]);
  });

  it("keeps its last count when the API cannot be reached", async () => {
    answers.push(ok({ notifications: [note("a", false)], next: null }));
    answers.push(() => Promise.reject(new TypeError("Failed to fetch")));
    const unread = useUnread();
    await unread.refresh();
    await unread.refresh();
    expect(unread.count).toBe(1);
  });
});
