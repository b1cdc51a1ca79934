// The departments a supervisor chooses among (the public directory's, read once).
import { ref } from "vue";
import type { Schemas } from "../../../lib/api";
import { loadDirectory } from "../../../lib/directory";

const departments = ref<Schemas["DirectoryDepartment"][]>([]);

export function useDepartments() {
  const ready = loadDirectory().then((directory) => { departments.value = directory.departments; });
  return { departments, ready };
}

/** The departments as a filter's choices: name and code. */
export function departmentOptions(list: readonly Schemas["DirectoryDepartment"][]): { value: string; label: string }[] {
  return list.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
}
