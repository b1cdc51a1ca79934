// What a page says after a step: that it was done (a polite status), or — on a 409 — what
// happened instead, in the API's Chinese words, with the view reloaded to show it.
import { nextTick, ref } from "vue";
import { useI18n } from "vue-i18n";
import type { ApiError } from "../../lib/api";

/** The ids of OutcomeNotice's messages (one notice a page). */
export const OUTCOME_DONE = "ow-outcome-done";
export const OUTCOME_CONFLICT = "ow-outcome-conflict";

export function useOutcome(reload: () => Promise<unknown> | void) {
  const { t } = useI18n();
  const done = ref("");
  const conflict = ref("");

  function succeeded(action: string): void {
    conflict.value = "";
    done.value = t("oversight.done", { action });
    focusSoon(OUTCOME_DONE);  // the step's form is gone: the keyboard goes on from the outcome
    void reload();
  }

  function conflicted(error: ApiError): void {
    done.value = "";
    conflict.value = t("oversight.conflict", { message: error.message.replace(/[。.]$/, "") });
    focusSoon(OUTCOME_CONFLICT);
    void reload();
  }

  function clear(): void {
    done.value = "";
    conflict.value = "";
  }

  return { done, conflict, succeeded, conflicted, clear };
}

/** Focus an element once the page has drawn it (an opened panel's heading: a keyboard or
 * screen reader user goes on from there). */
export function focusSoon(id: string): void {
  void nextTick(() => document.getElementById(id)?.focus());
}
