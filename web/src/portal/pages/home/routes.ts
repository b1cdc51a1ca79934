import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/", name: "home", component: () => import("./HomePage.vue"), meta: { title: "home.title" } },
  { path: "/items", name: "items", component: () => import("./ItemListPage.vue"),
    meta: { title: "home.listTitle" } },
  { path: "/items/:code", name: "guide", component: () => import("./ItemGuidePage.vue"),
    meta: { title: "guide.title" } },
] satisfies RouteRecordRaw[];
