// Who is signed in to the workbench: GET /me once per sign-in (role, departments, the
// departments the person leads), and what that lets them do (capabilities.ts).
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { api, unwrap } from "../lib/api";
import { capabilitiesOf, type Capability, type Me } from "./capabilities";

export const useStaff = defineStore("staff", () => {
  const me = ref<Me | null>(null);
  const can = computed(() => (me.value ? capabilitiesOf(me.value) : new Set<Capability>()));
  /** the department the person works in (staff have one; supervisors and admins none) */
  const dept = computed(() => me.value?.departments[0] ?? null);

  let loading: Promise<Me> | null = null;
  async function load(): Promise<Me> {
    if (me.value) return me.value;
    loading ??= unwrap(api().GET("/me")).then((answer) => (me.value = answer))
      .finally(() => { loading = null; });
    return loading;
  }

  return { me, can, dept, load };
});
