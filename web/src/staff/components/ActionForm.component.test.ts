import { beforeAll, describe, expect, it } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createI18n } from "vue-i18n";
import ActionForm, { type ActionField } from "./ActionForm.vue";
import { ApiError } from "../../lib/api";
import oversight from "../messages/zh-CN/oversight";
import common from "../../lib/messages/zh-CN/common";

const FIELDS: ActionField[] = [{ name: "reason", label: "申诉理由", kind: "textarea", required: true }];

beforeAll(() => {
  // jsdom has <dialog> without its modal methods: open and close it as a browser would.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) { this.open = false; };
});

function render(submit: (values: Record<string, string | boolean>) => Promise<unknown>, confirm = "") {
  const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": { oversight, common } } });
  return mount(ActionForm, { props: { id: "f", title: "申诉", submitLabel: "提交申诉", fields: FIELDS, submit, confirm },
                             global: { plugins: [i18n] }, attachTo: document.body });
}

describe("ActionForm", () => {
  it("asks for a required field and sends nothing without it", async () => {
    const sent: unknown[] = [];
    const form = render(async (values) => sent.push(values));
    await form.get("form").trigger("submit");
    expect(form.get("#f-reason-error").text()).toBe("请填写申诉理由");
    expect(form.get("#f-reason").attributes("aria-invalid")).toBe("true");
    expect(sent).toEqual([]);
    form.unmount();
  });

  it("keeps what was typed when the step fails, and clears it once done", async () => {
    let fail = true;
    const form = render(async () => {
      if (fail) throw new ApiError(0, "network_error", "无法连接服务，请检查网络后重试", undefined, undefined);
      return { ok: true };
    });
    await form.get("#f-reason").setValue("系统故障导致超期");
    await form.get("form").trigger("submit");
    await flushPromises();
    expect(form.get("[role=alert]").text()).toContain("无法连接服务");
    expect((form.get("#f-reason").element as HTMLTextAreaElement).value).toBe("系统故障导致超期");
    expect(form.emitted("done")).toBeUndefined();
    fail = false;
    await form.get("form").trigger("submit");
    await flushPromises();
    expect(form.emitted("done")).toEqual([[{ ok: true }]]);
    expect((form.get("#f-reason").element as HTMLTextAreaElement).value).toBe("");
    form.unmount();
  });

  it("hands a 409 to the page (which says what happened and reloads), the text kept", async () => {
    const conflict = new ApiError(409, "already_appealed", "该督办牌已申诉", undefined, "req-1");
    const form = render(async () => { throw conflict; });
    await form.get("#f-reason").setValue("理由");
    await form.get("form").trigger("submit");
    await flushPromises();
    expect(form.emitted("conflict")).toEqual([[conflict]]);
    expect((form.get("#f-reason").element as HTMLTextAreaElement).value).toBe("理由");
    form.unmount();
  });

  it("takes a step that cannot be undone only once confirmed", async () => {
    const sent: unknown[] = [];
    const form = render(async (values) => sent.push(values), "每张督办牌只能申诉一次。");
    await form.get("#f-reason").setValue("理由");
    await form.get("form").trigger("submit");
    const dialog = form.get("dialog").element as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(form.get("dialog").text()).toContain("每张督办牌只能申诉一次。");
    expect(sent).toEqual([]);
    const [cancel, confirm] = form.get("dialog").findAll("button");
    await cancel!.trigger("click");
    expect(dialog.open).toBe(false);
    expect(sent).toEqual([]);
    await form.get("form").trigger("submit");
    await confirm!.trigger("click");
    await flushPromises();
    expect(sent).toEqual([{ reason: "理由" }]);
    expect(dialog.open).toBe(false);
    form.unmount();
  });
});
