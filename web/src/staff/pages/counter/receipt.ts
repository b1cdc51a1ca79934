// The receipt handed to the applicant after a counter intake: the case number and the query
// password (查询密码) the API answered with. The password is shown once, from the answer;
// it travels to the receipt page in the browser's history entry (kept on reload in that
// tab, never stored elsewhere), and the API never shows it again.
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

/** The receipt a history entry carries for this case, or null (another tab, another case). */
export function receiptOf(state: unknown, caseNo: string): Receipt | null {
  const receipt = (state as { receipt?: Receipt } | null)?.receipt;
  return receipt && receipt.created?.caseNo === caseNo ? receipt : null;
}
