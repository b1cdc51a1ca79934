import { describe, expect, it, vi } from "vitest";
import { placeOfApiError } from "../../../lib/form/schemaForm";
import {
  applicationBody, dataUseOf, discardDraft, materialOfApiError, materialsFromData, draftKey, loadDraft, newDraft,
  oneAtATime, saveDraft, type Draft,
} from "./draft";

const COMPANY = { type: "legal" as const, name: "深圳小吃有限公司", idNumber: "91440300MA5FXK7Q3T" };
const CODE = "00020101200044030000000011440300007542808J01";

/** A stand-in for POST /cases as the API behaves: one case per Idempotency-Key. */
function fakeApi() {
  const byKey = new Map<string, string>();
  let cases = 0;
  let failNext = false;
  const post = vi.fn(async (_body: unknown, key: string) => {
    await new Promise((r) => setTimeout(r, 5));
    let caseNo = byKey.get(key);
    if (!caseNo) {
      caseNo = `C${++cases}`;
      byKey.set(key, caseNo);
    }
    if (failNext) {  // the case is made, its answer lost on the way back
      failNext = false;
      throw new Error("network");
    }
    return caseNo;
  });
  return { post, cases: () => cases, loseNextAnswer: () => { failNext = true; } };
}

describe("a draft in the browser", () => {
  it("is kept per user and item and comes back as it was, key included", () => {
    const draft = newDraft(CODE, () => "key-1");
    draft.values = { businessName: "小吃店" };
    draft.step = 2;
    saveDraft(localStorage, "org:a", draft);
    const back = loadDraft(localStorage, "org:a", CODE) as Draft;
    expect([back.values, back.step, back.idempotencyKey]).toEqual([{ businessName: "小吃店" }, 2, "key-1"]);
    expect(loadDraft(localStorage, "person:b", CODE)).toBeNull();       // another user's
    expect(loadDraft(localStorage, "org:a", "OTHER")).toBeNull();        // another item's
    discardDraft(localStorage, "org:a", CODE);
    expect(loadDraft(localStorage, "org:a", CODE)).toBeNull();
  });

  it("a damaged one is ignored", () => {
    localStorage.setItem(draftKey("org:a", CODE), "{not json");
    expect(loadDraft(localStorage, "org:a", CODE)).toBeNull();
    localStorage.setItem(draftKey("org:a", CODE), JSON.stringify({ itemCode: CODE }));
    expect(loadDraft(localStorage, "org:a", CODE)).toBeNull();         // no key: not a draft
  });

  it("each new draft has a key of its own", () => {
    expect(newDraft(CODE).idempotencyKey).not.toEqual(newDraft(CODE).idempotencyKey);
  });
});

describe("the application body", () => {
  it("names uploads, my materials and licenses in place of paper; skips what is not given", () => {
    const draft = newDraft(CODE);
    draft.materials = {
      食品安全管理制度文本: { way: "upload", materialId: "M1", fileName: "rules.pdf" },
      经营场所平面图和设备布局图: { way: "mine", materialId: "M2" },
      营业执照: { way: "license", licenseId: "1.2.156.3005.2.x" },
      食品经营许可申请书: { way: "none" },
      其他: { way: "upload" },                         // chosen, not uploaded yet
    };
    expect(applicationBody(draft, COMPANY, { businessName: "小吃店" })).toEqual({
      itemCode: CODE, channel: "web", applicant: COMPANY, form: { businessName: "小吃店" },
      materials: [{ name: "食品安全管理制度文本", materialId: "M1" },
                  { name: "经营场所平面图和设备布局图", materialId: "M2" },
                  { name: "营业执照", licenseId: "1.2.156.3005.2.x" }],
    });
  });
});

describe("with consent to use base data (数据共享)", () => {
  const prefill = {
    itemCode: CODE, itemVersion: 1, token: "TOKEN", notes: [],
    fields: {
      businessName: { value: "深圳小吃有限公司", source: "legalPerson.name", sourceName: "法人库", editable: false },
      address: { value: "深圳市南山区粤海街道科苑路1号", source: "legalPerson.registeredAddress", sourceName: "法人库", editable: true },
    },
    materials: [{ name: "营业执照", registry: "legalPerson" as const, sourceName: "法人库", sha256: "ab", fetchedAt: "2026-12-05T08:00:00Z" }],
  };

  function consented(): Draft {
    const draft = newDraft(CODE);
    draft.applicant = "self";
    draft.values = { businessName: "深圳小吃有限公司", address: "深圳市福田区福华路1号" };
    draft.materials = { 营业执照: { way: "license", licenseId: "L" }, 食品安全管理制度文本: { way: "upload", materialId: "M1" } };
    draft.dataUse = { decision: "consented", applicant: "self", consentId: "C1", prefill };
    return draft;
  }

  it("sends the consent and the prefill's token; a material a record stands in for is not named", () => {
    const draft = consented();
    expect(materialsFromData(draft)).toEqual(new Map([["营业执照", "legalPerson"]]));
    expect(applicationBody(draft, COMPANY, { businessName: "深圳小吃有限公司 ", address: "深圳市福田区福华路1号" })).toEqual({
      itemCode: CODE, channel: "web", applicant: COMPANY,
      form: { businessName: "深圳小吃有限公司", address: "深圳市福田区福华路1号" },
      materials: [{ name: "食品安全管理制度文本", materialId: "M1" }],
      consentId: "C1", prefill: "TOKEN",
    });
  });

  it("without a token (nothing was filled) the consent still goes: the rules read on it", () => {
    const draft = consented();
    draft.dataUse.prefill = { ...prefill, fields: {}, materials: [], token: null };
    const body = applicationBody(draft, COMPANY, {});
    expect([body.consentId, "prefill" in body]).toEqual(["C1", false]);
  });

  it("a consent made for another applicant, or declined, sends nothing of it", () => {
    const other = consented();
    other.applicant = "91440300MA5FXK7Q3T";
    expect(dataUseOf(other)).toBeNull();
    expect(materialsFromData(other).size).toBe(0);
    const body = applicationBody(other, COMPANY, { address: "x" });
    expect([body.consentId, body.prefill, body.materials?.map((m) => m.name)])
      .toEqual([undefined, undefined, ["营业执照", "食品安全管理制度文本"]]);
    const declined = consented();
    declined.dataUse = { decision: "declined", applicant: "self" };
    expect(applicationBody(declined, COMPANY, {}).consentId).toBeUndefined();
  });

  it("a draft kept before consent was asked resumes as not asked yet", () => {
    const old: Partial<Draft> = { ...newDraft(CODE, () => "key-old") };
    delete old.dataUse;
    localStorage.setItem(draftKey("org:old", CODE), JSON.stringify(old));
    expect(loadDraft(localStorage, "org:old", CODE)?.dataUse).toEqual({ decision: null });
    const kept = consented();
    saveDraft(localStorage, "org:kept", kept);
    expect(loadDraft(localStorage, "org:kept", CODE)?.dataUse).toEqual(kept.dataUse);
  });
});

describe("an API error on a material goes to the material it names", () => {
  it("by its index in the body sent (materials not given are not in it)", () => {
    const draft = newDraft(CODE);
    draft.materials = { 食品经营许可申请书: { way: "none" },
                        营业执照: { way: "license", licenseId: "L" },
                        食品安全管理制度文本: { way: "upload", materialId: "M1" } };
    const body = applicationBody(draft, COMPANY, {});
    const at = (field: string) => {
      const place = placeOfApiError(field);
      return place.area === "materials" ? materialOfApiError(body, place.index) : "not a material";
    };
    expect(at("materials.0.licenseId")).toBe("营业执照");
    expect(at("materials.1.materialId")).toBe("食品安全管理制度文本");
    expect(at("materials.2.materialId")).toBeNull();
    expect(at("materials")).toBeNull();
    expect(at("form.address")).toBe("not a material");
  });
});

describe("submitting a draft makes one case", () => {
  it("a double click sends one request and both clicks get its case", async () => {
    const api = fakeApi();
    const draft = newDraft(CODE);
    const submit = oneAtATime(() => api.post({}, draft.idempotencyKey));
    const [first, second] = await Promise.all([submit(), submit()]);
    expect([first, second, api.post.mock.calls.length, api.cases()]).toEqual(["C1", "C1", 1, 1]);
  });

  it("a retry after a lost answer, and a submit from the reopened draft, answer the same case", async () => {
    const api = fakeApi();
    const draft = newDraft(CODE);
    saveDraft(localStorage, "org:a", draft);
    const submit = oneAtATime(() => api.post({}, draft.idempotencyKey));
    api.loseNextAnswer();
    await expect(submit()).rejects.toThrow("network");
    expect(await submit()).toBe("C1");
    const reopened = loadDraft(localStorage, "org:a", CODE) as Draft;   // the tab closed meanwhile
    expect(await oneAtATime(() => api.post({}, reopened.idempotencyKey))()).toBe("C1");
    expect(api.cases()).toBe(1);
    expect(new Set(api.post.mock.calls.map((call) => call[1])).size).toBe(1);
  });

  it("another draft is another application", async () => {
    const api = fakeApi();
    await oneAtATime(() => api.post({}, newDraft(CODE).idempotencyKey))();
    await oneAtATime(() => api.post({}, newDraft(CODE).idempotencyKey))();
    expect(api.cases()).toBe(2);
  });
});
