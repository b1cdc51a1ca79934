// The departments of the public directory (GET /directory, read once per page load by
// lib/directory.ts), for the whole workbench: the supervisor chooses among them, and every
// page shows a department by its name (市场监管局), never its code (SCJG) — a code not (yet)
// known shows as itself.
import { ref } from "vue";
import type { Schemas } from "../../lib/api";
import { loadDirectory } from "../../lib/directory";

const departments = ref<Schemas["DirectoryDepartment"][]>([]);

/** A department's name by its code, from the given directory; the code while unknown. */
export function nameOf(list: Schemas["DirectoryDepartment"][], code: string): string {
  return list.find((dept) => dept.code === code)?.name ?? code;
}

/** The departments as a filter's choices: name and code. */
export function departmentOptions(list: readonly Schemas["DirectoryDepartment"][]): { value: string; label: string }[] {
  return list.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
}

export function useDepartments() {
  const ready = loadDirectory().then((directory) => { departments.value = directory.departments; });
  ready.catch(() => undefined);  // a page that only shows names falls back to codes
  return { departments, ready, deptName: (code: string) => nameOf(departments.value, code) };
}
