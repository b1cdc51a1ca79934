import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/callback", name: "callback", component: () => import("./SignInCallback.vue"),
    meta: { title: "staff.signingIn", public: true } },
] satisfies RouteRecordRaw[];
