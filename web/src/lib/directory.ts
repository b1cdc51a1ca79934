// The directory (GET /directory: themes, 一件事 bundles, departments, most used items), read
// once per page load and shared by every page that names a department — the portal's home,
// list and guide pages and the workbench's counter, dashboard and supervision pages.
import { api, unwrap, type Schemas } from "./api";

let loading: Promise<Schemas["Directory"]> | undefined;

export function loadDirectory(): Promise<Schemas["Directory"]> {
  if (!loading) {
    loading = unwrap(api().GET("/directory"));
    loading.catch(() => { loading = undefined; }); // a failure is asked again next time
  }
  return loading;
}

/** Department code -> name, as far as the directory knows it (else the code). */
export function departmentName(directory: Schemas["Directory"] | null, code: string): string {
  return directory?.departments.find((d) => d.code === code)?.name ?? code;
}
