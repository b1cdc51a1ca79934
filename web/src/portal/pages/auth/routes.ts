import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/callback", name: "callback",
    component: () => import("../../../lib/components/SignInCallback.vue"),
    props: { card: true }, meta: { title: "auth.signingIn" } },
] satisfies RouteRecordRaw[];
