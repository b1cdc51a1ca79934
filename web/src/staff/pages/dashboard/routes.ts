import type { RouteRecordRaw } from "vue-router";

// Lazy: the dashboard's chunk carries ECharts; nothing else of the workbench loads it.
export default [
  { path: "/dashboard", name: "dashboard", component: () => import("./DashboardPage.vue"),
    meta: { title: "dashboard.title", can: "supervise" } },
  { path: "/dashboard/cards", name: "dashboard-cards", component: () => import("./CardsDrill.vue"),
    meta: { title: "dashboard.cardsDrillTitle", can: "supervise" } },
  { path: "/dashboard/ratings", name: "dashboard-ratings", component: () => import("./RatingsDrill.vue"),
    meta: { title: "dashboard.ratingsDrillTitle", can: "supervise" } },
  { path: "/dashboard/cases/:caseNo", name: "dashboard-case", component: () => import("./CaseView.vue"),
    meta: { title: "dashboard.caseTitle", can: "supervise" }, props: true },
] satisfies RouteRecordRaw[];
