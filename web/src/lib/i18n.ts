// vue-i18n, Chinese first. Messages are one file per area and language
// (`messages/<locale>/<area>.ts`, in src/lib and in each app), gathered here so that areas
// never edit a shared file: `t("home.search")` is messages/zh-CN/home.ts's `search`.
import { createI18n } from "vue-i18n";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
type Tree = { [key: string]: string | Tree };

export function gather(modules: Record<string, unknown>): Record<Locale, Tree> {
  const messages: Record<Locale, Tree> = { "zh-CN": {}, en: {} };
  for (const [path, module] of Object.entries(modules)) {
    const match = /messages\/([^/]+)\/([^/]+)\.ts$/.exec(path);
    if (!match) continue;
    const [, locale, area] = match as unknown as [string, Locale, string];
    if (!(locale in messages)) continue;
    messages[locale][area] = (module as { default: Tree }).default;
  }
  return messages;
}

const STORAGE_KEY = "onewindow.locale";

export function savedLocale(): Locale {
  const saved = window.localStorage.getItem(STORAGE_KEY);
  return saved === "en" ? "en" : "zh-CN";
}

export function createMessages(appModules: Record<string, unknown>) {
  const shared = gather(import.meta.glob("./messages/*/*.ts", { eager: true }));
  const own = gather(appModules);
  const locale = savedLocale();
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: "zh-CN",
    messages: {
      "zh-CN": { ...shared["zh-CN"], ...own["zh-CN"] },
      en: { ...shared.en, ...own.en },
    },
  });
  document.documentElement.lang = locale;
  return i18n;
}

export function rememberLocale(locale: Locale): void {
  window.localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
