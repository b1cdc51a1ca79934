import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/me", name: "me", component: () => import("./MePage.vue"),
    meta: { title: "identity.title", signIn: true } },
] satisfies RouteRecordRaw[];
