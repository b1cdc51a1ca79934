import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/me", name: "me", component: () => import("./MePage.vue"),
    meta: { title: "identity.title", signIn: true } },
  { path: "/me/consents", name: "my-consents", component: () => import("./ConsentsPage.vue"),
    meta: { title: "identity.consents.title", signIn: true } },
] satisfies RouteRecordRaw[];
