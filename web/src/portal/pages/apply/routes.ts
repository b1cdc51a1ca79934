import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/apply/:code", name: "apply", component: () => import("./ApplyPage.vue"),
    meta: { title: "apply.title", signIn: true } },
] satisfies RouteRecordRaw[];
