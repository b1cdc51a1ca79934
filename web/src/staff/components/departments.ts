// The departments of the public directory (GET /directory), loaded once for the whole
// workbench: the supervisor chooses among them, and every page shows a department by its
// name (市场监管局), never its code (SCJG) — a code not (yet) known shows as itself.
import { ref } from "vue";
import { api, unwrap, type Schemas } from "../../lib/api";

const departments = ref<Schemas["DirectoryDepartment"][]>([]);
let loading: Promise<void> | null = null;

/** A department's name by its code, from the given directory; the code while unknown. */
export function nameOf(list: Schemas["DirectoryDepartment"][], code: string): string {
  return list.find((dept) => dept.code === code)?.name ?? code;
}

export function useDepartments() {
  loading ??= unwrap(api().GET("/directory")).then((directory) => {
    departments.value = directory.departments;
  }).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  loading.catch(() => undefined);  // a page that only shows names falls back to codes
  return { departments, ready: loading, deptName: (code: string) => nameOf(departments.value, code) };
}
