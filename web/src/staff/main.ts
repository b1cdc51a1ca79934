// The staff workbench (政务服务工作台), at /staff/ beside the portal: config, then identity
// (its own client at the issuer), then the app. Chinese only: staff work in Chinese.
import { createApp } from "vue";
import { createPinia } from "pinia";
import "tdesign-vue-next/es/style/index.css";
// Native fields in TDesign's look (lib/components/TextField.vue, the schema form, the
// workbench's filters): their styles, which no TDesign component of these pages brings.
import "tdesign-vue-next/es/input/style/index.css";
import "tdesign-vue-next/es/textarea/style/index.css";
import "tdesign-vue-next/es/radio/style/index.css";
import "tdesign-vue-next/es/checkbox/style/index.css";
import "../lib/theme.css";
import "./staff.css";
import App from "./App.vue";
import { config, loadConfig } from "../lib/config";
import { configureAuth, safeReturnPath, useAuth } from "../lib/auth";
import { setLanguage, setTokenSource } from "../lib/api";
import { createMessages } from "../lib/i18n";
import { BASE, createStaffRouter } from "./router";

/** Opened as /staff/index.html?to=/tasks (the portal's page sent it here: a CDN without the
 * workbench's route function): the address becomes /staff/tasks before the router reads it. */
function comeBackToTheAddressAsked(): void {
  if (window.location.pathname !== `${BASE}index.html`) return;
  const to = safeReturnPath(new URLSearchParams(window.location.search).get("to"));
  window.history.replaceState(null, "", `${BASE.replace(/\/$/, "")}${to}`);
}

async function start(): Promise<void> {
  comeBackToTheAddressAsked();
  const i18n = createMessages(import.meta.glob("./messages/*/*.ts", { eager: true }));
  i18n.global.locale.value = "zh-CN";
  document.documentElement.lang = "zh-CN";
  setLanguage("zh-CN");
  const app = createApp(App).use(createPinia()).use(i18n);
  try {
    await loadConfig();
    if (!config().staffClientId) throw new Error("/config.json: staffClientId is missing");
  } catch (error) {
    document.body.textContent = `政务服务工作台暂时无法使用（${String(error)}），请稍后再试。`;
    return;
  }
  configureAuth({ clientId: () => config().staffClientId ?? "", base: BASE });
  const auth = useAuth();
  await auth.load();
  setTokenSource(() => auth.accessToken());
  app.use(createStaffRouter(i18n.global.t));
  app.mount("#app");
}

void start();
