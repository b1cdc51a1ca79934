import { describe, expect, it } from "vitest";
import { gather } from "./i18n";

describe("gather", () => {
  it("files each area's messages under its locale and area name", () => {
    const messages = gather({
      "./messages/zh-CN/home.ts": { default: { title: "首页" } },
      "./messages/en/home.ts": { default: { title: "Home" } },
      "../lib/messages/zh-CN/common.ts": { default: { back: "返回" } },
    });
    expect(messages["zh-CN"]).toEqual({ home: { title: "首页" }, common: { back: "返回" } });
    expect(messages.en).toEqual({ home: { title: "Home" } });
  });

  it("ignores languages the portal does not offer and paths that are no messages", () => {
    const messages = gather({
      "./messages/fr/home.ts": { default: { title: "Accueil" } },
      "./pages/home/routes.ts": { default: [] },
    });
    expect(messages).toEqual({ "zh-CN": {}, en: {} });
  });
});
