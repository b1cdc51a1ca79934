import type { RouteRecordRaw } from "vue-router";

// 监察处理: the supervisor's decisions — appeals of cards, re-reviews and contests of
// ratings — and revoking a case. (The dashboard is /dashboard.)
export default [
  { path: "/supervision", name: "supervision-appeals", component: () => import("./SupervisionAppeals.vue"),
    meta: { title: "supervision.appealsTitle", can: "supervise" } },
  { path: "/supervision/ratings", name: "supervision-ratings",
    component: () => import("./SupervisionRatings.vue"),
    meta: { title: "supervision.ratingsTitle", can: "supervise" } },
  { path: "/supervision/revoke", name: "supervision-revoke",
    component: () => import("./SupervisionRevoke.vue"),
    meta: { title: "supervision.revokeTitle", can: "supervise" } },
] satisfies RouteRecordRaw[];
