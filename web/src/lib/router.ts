// What the portal's and the workbench's routers share: routes declared by each page area
// (`pages/<area>/routes.ts`, default export: a list), gathered in a stable order; and a page
// whose code no longer loads (a new version deployed while this tab held the old index.html)
// fetched afresh by loading the address anew, once — never a dead click.
import type { RouteRecordRaw, Router } from "vue-router";

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

/** Reload once when a page's chunk fails to load; `base` is the app's path (`/`, `/staff/`). */
export function reloadOnChunkError(router: Router, base = "/"): void {
  router.onError((error, to) => {
    const reloaded = window.sessionStorage.getItem(RELOADED);
    if (isChunkError(error) && reloaded !== to.fullPath) {
      window.sessionStorage.setItem(RELOADED, to.fullPath);
      window.location.assign(base.replace(/\/$/, "") + to.fullPath);
    }
  });
  router.afterEach(() => window.sessionStorage.removeItem(RELOADED));
}

/** The document title: "<page title> - <site>" (a route's `meta.title` is an i18n key). */
export function titleEachPage(router: Router, t: (key: string) => string, siteKey: string): void {
  router.afterEach((to) => {
    const site = t(siteKey);
    document.title = to.meta.title ? `${t(to.meta.title)} - ${site}` : site;
  });
}
