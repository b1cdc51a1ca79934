// The citizen portal (网上办事大厅): config, then identity, then the app.
import { createApp } from "vue";
import { createPinia } from "pinia";
import "tdesign-vue-next/es/style/index.css";
import "../lib/theme.css";
import App from "./App.vue";
import { loadConfig } from "../lib/config";
import { useAuth } from "../lib/auth";
import { setLanguage, setTokenSource } from "../lib/api";
import { createMessages } from "../lib/i18n";
import { createPortalRouter } from "./router";

async function start(): Promise<void> {
  const i18n = createMessages(import.meta.glob("./messages/*/*.ts", { eager: true }));
  setLanguage(i18n.global.locale.value);
  const app = createApp(App).use(createPinia()).use(i18n);
  try {
    await loadConfig();
  } catch (error) {
    document.body.textContent = `网上办事大厅暂时无法使用（${String(error)}），请稍后再试。`;
    return;
  }
  const auth = useAuth();
  await auth.load();
  setTokenSource(() => auth.accessToken());
  app.use(createPortalRouter(i18n.global.t));
  app.mount("#app");
}

void start();
