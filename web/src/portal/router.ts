// Routes are declared by each page area (`pages/<area>/routes.ts`, default export: a list),
// gathered here; pages load when first visited (code-split). A route's `meta.title` is an
// i18n key: the document title is "<title> - 网上办事大厅". `meta.signIn`: only signed in.
import { createRouter, createWebHistory } from "vue-router";
import { useAuth } from "../lib/auth";
import { gatherRoutes, reloadOnChunkError, titleEachPage } from "../lib/router";

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    signIn?: boolean;
  }
}

export function createPortalRouter(t: (key: string) => string) {
  const routes = gatherRoutes(import.meta.glob("./pages/*/routes.ts", { eager: true }));
  routes.push(
    // The workbench's address answered with the portal's page: a CDN without the workbench's
    // route function (docs/web.md). Its own page is a file; it goes on to the address asked.
    { path: "/staff/:rest(.*)*", name: "workbench", component: () => import("./NotFound.vue"),
      beforeEnter: (to) => {
        window.location.replace(`/staff/index.html?to=${encodeURIComponent(to.fullPath.slice("/staff".length))}`);
        return false;
      } },
    { path: "/:rest(.*)*", name: "not-found", component: () => import("./NotFound.vue"),
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
  reloadOnChunkError(router);
  titleEachPage(router, t, "portal.site");
  return router;
}
