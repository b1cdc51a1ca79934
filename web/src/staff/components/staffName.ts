/** A member of staff as the workbench names them: their name as their token gave it when
 *  they acted (王审查), or — on records older than names — their account id. The workflow
 *  and the sweep act as `system` / `workflow`. */
export const MACHINE_ACTORS = new Set(["system", "workflow", "sweep"]);

export function staffText(sub: string | null | undefined, name: string | null | undefined,
                          machine: string): string {
  if (!sub) return "";
  if (MACHINE_ACTORS.has(sub)) return machine;
  return name?.trim() || sub;
}
