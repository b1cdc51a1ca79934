// Routes are declared by each page area (`pages/<area>/routes.ts`, default export: a list),
// gathered here; pages load when first visited (code-split). A route's `meta.title` is an
// i18n key: the document title is "<title> - 网上办事大厅". `meta.signIn`: only signed in.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { useAuth } from "../lib/auth";

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    signIn?: boolean;
  }
}

const RELOADED = "onewindow.reloaded";

/** Whether a navigation failed because a page's code could not be loaded. */
export function isChunkError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported|Failed to fetch/i
    .test(message);
}

export function gatherRoutes(modules: Record<string, unknown>): RouteRecordRaw[] {
  return Object.keys(modules).sort()
    .flatMap((path) => (modules[path] as { default: RouteRecordRaw[] }).default);
}

export function createPortalRouter(t: (key: string) => string) {
  const routes = gatherRoutes(import.meta.glob("./pages/*/routes.ts", { eager: true }));
  routes.push({ path: "/:rest(.*)*", name: "not-found", component: () => import("./NotFound.vue"),
                meta: { title: "common.notFound" } });
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: () => ({ top: 0 }),
  });
  router.beforeEach(async (to) => {
    if (to.meta.signIn && !(await useAuth().ensureSignedIn())) {
      await useAuth().signIn(to.fullPath);
      return false;
    }
    return true;
  });
  // A page's code that no longer loads — a new version deployed while this tab held the old
  // index.html — is fetched afresh by loading the address anew, once; never a dead click.
  router.onError((error, to) => {
    const reloaded = window.sessionStorage.getItem(RELOADED);
    if (isChunkError(error) && reloaded !== to.fullPath) {
      window.sessionStorage.setItem(RELOADED, to.fullPath);
      window.location.assign(to.fullPath);
    }
  });
  router.afterEach(() => window.sessionStorage.removeItem(RELOADED));
  router.afterEach((to) => {
    const site = t("portal.site");
    document.title = to.meta.title ? `${t(to.meta.title)} - ${site}` : site;
  });
  return router;
}
