// The departments a supervisor chooses among (the public directory's), loaded once.
import { ref } from "vue";
import { api, unwrap, type Schemas } from "../../../lib/api";

const departments = ref<Schemas["DirectoryDepartment"][]>([]);
let loading: Promise<void> | null = null;

export function useDepartments() {
  loading ??= unwrap(api().GET("/directory")).then((directory) => {
    departments.value = directory.departments;
  }).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return { departments, ready: loading };
}

/** The departments as a filter's choices: name and code. */
export function departmentOptions(list: readonly Schemas["DirectoryDepartment"][]): { value: string; label: string }[] {
  return list.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
}
