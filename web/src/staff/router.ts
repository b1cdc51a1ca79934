// The workbench's routes, at /staff/: each page area declares its own
// (`pages/<area>/routes.ts`), with `meta.can` — the capability a page needs. Every page but
// the sign-in callback needs a signed-in member of staff; a page the role cannot use is
// answered "not for your role", and the navigation never offers it.
import { createRouter, createWebHistory } from "vue-router";
import { useAuth } from "../lib/auth";
import { gatherRoutes, reloadOnChunkError, titleEachPage } from "../lib/router";
import type { Capability } from "./capabilities";
import { useStaff } from "./staff";

export const BASE = "/staff/";

declare module "vue-router" {
  interface RouteMeta {
    /** the capability the page needs (none: any member of staff) */
    can?: Capability;
    /** open without signing in (the issuer's callback) */
    public?: boolean;
  }
}

export function createStaffRouter(t: (key: string) => string) {
  const routes = gatherRoutes(import.meta.glob("./pages/*/routes.ts", { eager: true }));
  routes.push(
    { path: "/forbidden", name: "forbidden", component: () => import("./Forbidden.vue"),
      meta: { title: "staff.forbidden" } },
    { path: "/:rest(.*)*", name: "not-found", component: () => import("./NotFound.vue"),
      meta: { title: "common.notFound" } });
  const router = createRouter({
    history: createWebHistory(BASE),
    routes,
    scrollBehavior: () => ({ top: 0 }),
  });
  router.beforeEach(async (to) => {
    if (to.meta.public || to.name === "forbidden") return true;
    const auth = useAuth();
    if (!(await auth.ensureSignedIn())) {
      await auth.signIn(to.fullPath);
      return false;
    }
    const staff = useStaff();
    await staff.load();
    if (staff.can.size === 0) return { name: "forbidden", query: { why: "role" } };
    if (to.meta.can && !staff.can.has(to.meta.can)) return { name: "forbidden" };
    return true;
  });
  reloadOnChunkError(router, BASE);
  titleEachPage(router, t, "staff.site");
  return router;
}
