import { describe, expect, it } from "vitest";
import { byStaff, dateTime, entryBasis, entryKind, fileSize, foldEntries, readerOf, statusAddress } from "./format";
import zh from "../../messages/zh-CN/licenses";
import en from "../../messages/en/licenses";

describe("the status address a license's QR code carries", () => {
  it("is the API's public status route, as the printed license's (license_print.verification_url)", () => {
    expect(statusAddress("http://127.0.0.1:8000/", "1.2.156.3005.2.X.001.N"))
      .toBe("http://127.0.0.1:8000/licenses/1.2.156.3005.2.X.001.N/status");
    expect(statusAddress("https://api.example.gov.cn/v1", "L1"))
      .toBe("https://api.example.gov.cn/v1/licenses/L1/status");
  });
});

describe("sizes and times", () => {
  it("reads a size in B, KB or MB", () => {
    expect(fileSize(512)).toBe("512 B");
    expect(fileSize(2048)).toBe("2.0 KB");
    expect(fileSize(3 * 1024 * 1024)).toBe("3.0 MB");
  });
  it("shows a time to the minute and leaves what is not a time as it is", () => {
    expect(dateTime("2026-12-03T08:05:00Z")).toBe("2026-12-03 16:05");  // Asia/Shanghai
    expect(dateTime("not a time")).toBe("not a time");
    expect(dateTime(null)).toBe("");
  });
});

describe("an access-log entry", () => {
  it("is a registry asked, a case file read by staff, or a license or material used", () => {
    expect(entryKind({ action: "query", caseNo: "4403", licenseId: null })).toBe("query");
    expect(entryKind({ action: "view", caseNo: "4403" })).toBe("caseView");
    expect(entryKind({ action: "view", caseNo: "4403", licenseId: "L1" })).toBe("view");
    expect(entryKind({ action: "view", materialId: "M1" })).toBe("view");
    expect(entryKind({ action: "use", caseNo: "4403", licenseId: "L1" })).toBe("use");
    expect(entryKind({ action: "verify" })).toBe("verify");
  });
  it("knows staff by their role and a query's basis", () => {
    expect([byStaff({ role: "clerk" }), byStaff({ role: "supervisor" }), byStaff({ role: "applicant" }), byStaff({})])
      .toEqual([true, true, false, false]);
    expect(entryBasis({ basis: "consent:Cabc" })).toEqual({ kind: "consent", consentId: "Cabc" });
    expect(entryBasis({})).toBeNull();
  });
});

describe("who read, never by account id", () => {
  it("says staff by post and department, the holder as 本人 or 本单位, others by organisation", () => {
    expect(readerOf({ by: "staff:li-clerk", role: "clerk", organisation: "SZ-SCJG" }))
      .toEqual({ kind: "staff", role: "clerk", organisation: "SZ-SCJG" });
    expect(readerOf({ by: "person:wang-guiying", organisation: "本人" })).toEqual({ kind: "self" });
    expect(readerOf({ by: "org:shenzhen-xiaochi", organisation: "本人" })).toEqual({ kind: "ownOrg" });
    expect(readerOf({ by: "person:chen-agent", organisation: "本人" }, true)).toEqual({ kind: "agent" });
    expect(readerOf({ organisation: "系统（秒批规则核验）" }))
      .toEqual({ kind: "organisation", organisation: "系统（秒批规则核验）", role: "" });
    expect(readerOf({})).toEqual({ kind: "anonymous" });
  });
});

describe("folding the log", () => {
  const read = (at: string, extra = {}) => ({ at, action: "view" as const, caseNo: "4403", by: "staff:li-clerk",
    role: "clerk", organisation: "SZ-SCJG", purpose: "受理办件", ...extra });
  it("makes one line of the same reader, action, case and day, newest first, every entry kept", () => {
    const entries = [read("2026-12-03T08:05:00Z"), read("2026-12-03T07:00:00Z"), read("2026-12-03T06:00:00Z"),
      read("2026-12-03T05:00:00Z", { caseNo: "4404" }), read("2026-12-02T05:00:00Z", { caseNo: "4404" }),
      read("2026-12-02T04:00:00Z", { count: 3 }), read("2026-12-02T03:00:00Z", { count: 2 })];
    const lines = foldEntries(entries);
    expect(lines.map((line) => [line.entry.at, line.entries.length, line.count])).toEqual([
      ["2026-12-03T08:05:00Z", 3, 3], ["2026-12-03T05:00:00Z", 1, 1], ["2026-12-02T05:00:00Z", 1, 1],
      ["2026-12-02T04:00:00Z", 2, 5]]);
    expect(lines.flatMap((line) => line.entries)).toEqual(entries);
  });
  it("keeps another reader or action apart", () => {
    expect(foldEntries([read("2026-12-03T08:05:00Z"), read("2026-12-03T08:04:00Z", { role: "reviewer" }),
      read("2026-12-03T08:03:00Z", { action: "use" })])).toHaveLength(3);
  });
});

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ""): string[] => Object.entries(tree).flatMap(([k, v]) =>
  typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)).sort();

it("has every Chinese message in English too, and no other", () => {
  expect(keys(en as Tree)).toEqual(keys(zh as Tree));
});
