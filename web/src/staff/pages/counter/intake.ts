// A walk-in applicant's application as the counter clerk takes it in (窗口收件): who the
// applicant is (typed, or read by a card reader that types like a keyboard), the item's
// form, and how each material was handed over at the counter — checked here with the rules
// the API applies, then sent as POST /cases with channel `counter` under one
// Idempotency-Key per intake (a double click or a retry makes one case).
import type { Schemas } from "../../../lib/api";

export type ApplicantType = "natural" | "legal";
/** how a material was taken at the counter: not (yet), original checked, paper copy kept */
export type CounterCheck = "" | NonNullable<Schemas["MaterialRef"]["checkedAtCounter"]>;

export interface Intake {
  type: ApplicantType;
  name: string;
  idNumber: string;
  phone: string;
  /** by the catalogue material's name */
  materials: Record<string, CounterCheck>;
  idempotencyKey: string;
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function newIntake(type: ApplicantType, makeKey: () => string = newIdempotencyKey): Intake {
  return { type, name: "", idNumber: "", phone: "", materials: {}, idempotencyKey: makeKey() };
}

/** An ID number as typed or read: spaces, dashes and a reader's line end dropped, upper case
 * (the API takes it trimmed and in upper case). */
export function normaliseIdNumber(value: string): string {
  return value.replace(/[\s-]+/g, "").toUpperCase();
}

// 公民身份号码 (GB 11643): 17 digits, then the ISO 7064 MOD 11-2 check character.
const RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RIC_CHECK = "10X98765432";
// 统一社会信用代码 (GB 32100): 18 characters of this alphabet, the last a MOD 31 check.
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Why an ID number (normalised) is not one of its kind, or null — the API's rule
 * (python-stdnum's cn.ric and cn.uscc) less the place-of-birth table, which only the API
 * holds: a number it refuses for that comes back as its field error. */
export function idNumberError(type: ApplicantType, value: string): string | null {
  if (!value) return type === "natural" ? "请输入公民身份号码" : "请输入统一社会信用代码";
  if (value.length !== 18) return `应为 18 位，当前 ${value.length} 位`;
  if (type === "natural") {
    if (!/^\d{17}[\dX]$/.test(value)) return "前 17 位应为数字，最后一位为数字或 X";
    const sum = RIC_WEIGHTS.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
    if (RIC_CHECK[sum % 11] !== value[17]) return "校验位不正确，请核对号码";
    if (!validDate(Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14)))) {
      return "出生日期不正确，请核对号码";
    }
    return null;
  }
  if (!/^\d{8}/.test(value) || [...value.slice(8)].some((c) => !USCC_ALPHABET.includes(c))) {
    return "格式不正确：前 8 位为数字，其余为数字或大写字母（不含 I、O、Z、S、V）";
  }
  const sum = USCC_WEIGHTS.reduce((total, weight, i) => total + weight * USCC_ALPHABET.indexOf(value[i] as string), 0);
  if (USCC_ALPHABET[(31 - (sum % 31)) % 31] !== value[17]) return "校验位不正确，请核对号码";
  return null;
}

export const PHONE = /^1\d{10}$/;

/** The clerk's errors on the applicant, by field (`name`, `idNumber`, `phone`). */
export function applicantErrors(intake: Intake): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!intake.name.trim()) errors.name = intake.type === "natural" ? "请输入申请人姓名" : "请输入单位名称";
  const idError = idNumberError(intake.type, normaliseIdNumber(intake.idNumber));
  if (idError) errors.idNumber = idError;
  const phone = intake.phone.trim();
  if (phone && !PHONE.test(phone)) errors.phone = "手机号码应为 1 开头的 11 位数字";
  return errors;
}

/** The mandatory materials of the item the clerk has not taken. */
export function missingMandatory(materials: Schemas["Material"][], checks: Record<string, CounterCheck>): string[] {
  return materials.filter((m) => m.mandatory && !checks[m.name]).map((m) => m.name);
}

/** What the counter takes of a material, on paper whatever its declared `form` (how it is
 * sent online): the original, checked, or the paper copies the item asks for. */
export function counterTakes(material: Pick<Schemas["Material"], "copies">): string {
  const copies = material.copies ?? 1;
  return copies > 0 ? `原件或复印件 ${copies} 份` : "原件（当场核验）";
}

/** Whether the item is taken at a counter at all. */
export function takenAtCounter(item: Pick<Schemas["Implementation"], "channels">): boolean {
  return item.channels.includes("counter");
}

/** The application as POST /cases takes it from a clerk: channel counter, the applicant as
 * the clerk saw their papers, and the materials taken at the counter, in the item's order. */
export function counterApplication(itemCode: string, intake: Intake, form: Record<string, unknown>,
                                   materials: Schemas["Material"][]): Schemas["Application"] {
  const applicant: Schemas["Applicant"] = {
    type: intake.type, name: intake.name.trim(), idNumber: normaliseIdNumber(intake.idNumber),
    ...(intake.phone.trim() ? { phone: intake.phone.trim() } : {}),
  };
  const refs: Schemas["MaterialRef"][] = [];
  for (const material of materials) {
    const check = intake.materials[material.name];
    if (check) refs.push({ name: material.name, checkedAtCounter: check });
  }
  return { itemCode, channel: "counter", applicant, form, materials: refs };
}

const CASE_NO = /\b\d{21}[\dX]\b/;

/** The open case a 409 duplicate_open_case names (its English detail carries the number). */
export function openCaseOf(detail: string | null | undefined): string | null {
  return CASE_NO.exec(detail ?? "")?.[0] ?? null;
}
