import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/", name: "home", component: () => import("./WorkbenchHome.vue"),
    meta: { title: "staff.home" } },
] satisfies RouteRecordRaw[];
