import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/callback", name: "callback",
    component: () => import("../../../lib/components/SignInCallback.vue"),
    meta: { title: "staff.signingIn", public: true } },
] satisfies RouteRecordRaw[];
