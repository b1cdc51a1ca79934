// 秒批抽查: what a sampled instant approval shows and allows. The API decides every step;
// the page offers only what it would take (a sample is marked checked once, and a case is
// revoked only where its lifecycle still leads to 撤销).
import type { Schemas } from "../../../lib/api";
import { caseRevocable } from "../../components/caseLifecycle";

export type Sample = Schemas["InstantSample"];
export const SAMPLE_STATES = ["open", "checked"] as const;
export type SampleState = (typeof SAMPLE_STATES)[number];

const REVOKED = 15;

/** The item version whose rules judged the case: `<item code>@v3` → "3" ("" if not so named). */
export function ruleVersion(ruleSet: string): string {
  return /@v(\d+)$/.exec(ruleSet)?.[1] ?? "";
}

/** What may be done with a sample whose case has `status` (undefined: not read yet). */
export function sampleActions(sample: Pick<Sample, "state">, status: number | undefined) {
  const open = sample.state === "open" && status !== undefined;
  return {
    /** mark it checked, with a note: 核查无误, or after revoking, 标记已核查 */
    check: open,
    /** revoke the wrongly approved case (撤销审批) */
    revoke: open && caseRevocable(status),
    /** the case is revoked already: the check records why */
    revoked: status === REVOKED,
  };
}
