import type { RouteRecordRaw } from "vue-router";

// 事项管理 (catalogue admins): the items, one item's versions, history and lineage, and one
// version — a draft edited, compared, simulated and published.
export default [
  { path: "/catalogue", name: "catalogue", component: () => import("./CatalogueList.vue"),
    meta: { title: "catalogue.title", can: "catalogue" } },
  { path: "/catalogue/items/:code", name: "catalogue-item", component: () => import("./ItemPage.vue"),
    meta: { title: "catalogue.itemTitle", can: "catalogue" }, props: true },
  { path: "/catalogue/items/:code/versions/:version", name: "catalogue-version",
    component: () => import("./VersionPage.vue"),
    meta: { title: "catalogue.versionTitle", can: "catalogue" }, props: true },
] satisfies RouteRecordRaw[];
