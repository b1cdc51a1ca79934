// The receipt handed to the applicant after a counter intake: the case number and the query
// password (查询密码) the API answered with. The password is shown once, from the answer: it
// is kept in this page's memory only, for the clerk who took the intake — never in the
// browser's history entry or storage, so neither a reload, nor Back after a sign-out, nor
// the next clerk on the same computer finds it. The API never shows it again.
import type { Schemas } from "../../../lib/api";
import type { CounterCheck } from "./intake";

export interface Receipt {
  created: Schemas["CaseCreated"];
  itemName: string;
  applicantName: string;
  /** masked, as on anything printed */
  applicantId: string;
  materials: { name: string; check: CounterCheck }[];
}

/** An ID number as a printed receipt shows it: 110105********002X. */
export function maskId(idNumber: string): string {
  return idNumber.length > 10 ? idNumber.slice(0, 6) + "*".repeat(idNumber.length - 10) + idNumber.slice(-4) : idNumber;
}

/** The latest receipt of this page, and the clerk (`sub`) who took it. */
let kept: { clerk: string; receipt: Receipt } | null = null;

/** Keep the receipt of an intake just made, for its clerk (the one before is dropped). */
export function keepReceipt(clerk: string, receipt: Receipt): void {
  kept = { clerk, receipt };
}

/** The receipt of this case if this clerk took it in this page, else null (reloaded,
 * another clerk, another case). */
export function receiptFor(clerk: string | undefined, caseNo: string): Receipt | null {
  return kept && clerk && kept.clerk === clerk && kept.receipt.created.caseNo === caseNo ? kept.receipt : null;
}

/** Drop the receipt (the page is left: a sign-out, a reload, a closed tab). */
export function forgetReceipt(): void {
  kept = null;
}
