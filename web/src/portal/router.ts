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
    if (to.meta.signIn && !useAuth().signedIn) {
      await useAuth().signIn(to.fullPath);
      return false;
    }
    return true;
  });
  router.afterEach((to) => {
    const site = t("portal.site");
    document.title = to.meta.title ? `${t(to.meta.title)} - ${site}` : site;
  });
  return router;
}
