// The simulation's open cases in words: the states and versions that have any, in the
// order the admin reads them (the API's counts, nothing recomputed).
import type { Schemas } from "../../../lib/api";

export type OpenCases = Schemas["OpenCases"];
export type OpenCaseState = Schemas["OpenCase"]["state"];

export const STATE_ORDER: readonly OpenCaseState[] = ["acceptance", "review", "supplement", "special"];

/** The states with open cases, in the order of the process. */
export function statesWithCases(open: OpenCases): { state: OpenCaseState; n: number }[] {
  return STATE_ORDER.map((state) => ({ state, n: open.byState[state] }))
    .filter((part) => part.n > 0);
}

/** The versions open cases applied under, oldest first. */
export function versionsWithCases(open: OpenCases): { version: number; n: number }[] {
  return Object.entries(open.byVersion)
    .map(([version, n]) => ({ version: Number(version), n }))
    .filter((part) => part.n > 0)
    .sort((a, b) => a.version - b.version);
}
