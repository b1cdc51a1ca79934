// How many of my notifications are unread, for the frame's bell: asked on each page change
// and every few minutes while signed in, and again as soon as one is marked read.
import { defineStore } from "pinia";
import { ref } from "vue";
import { api, unwrap } from "../../../lib/api";

/** Counted up to a page of this size; beyond it the bell says "99+". */
export const COUNTED = 99;

export const useUnread = defineStore("unread", () => {
  const count = ref(0);
  const more = ref(false);

  async function refresh(): Promise<void> {
    try {
      const page = await unwrap(api().GET("/me/notifications", {
        params: { query: { unread: "true", limit: COUNTED } } }));
      count.value = page.notifications.filter((n) => !n.read).length;
      more.value = !!page.next;
    } catch {
      /* the bell keeps its last count; the notifications page shows the error */
    }
  }

  function clear(): void {
    count.value = 0;
    more.value = false;
  }

  return { count, more, refresh, clear };
});
