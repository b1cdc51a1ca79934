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
  { path: "/dashboard/tasks", name: "dashboard-tasks", component: () => import("./TasksDrill.vue"),
    meta: { title: "dashboard.tasksDrillTitle", can: "supervise" } },
  { path: "/dashboard/counted", name: "dashboard-counted", component: () => import("./CountedDrill.vue"),
    meta: { title: "dashboard.countedTitle", can: "supervise" } },
  { path: "/dashboard/record", name: "dashboard-record", component: () => import("./RecordStatus.vue"),
    meta: { title: "dashboard.recordTitle", can: "supervise" } },
] satisfies RouteRecordRaw[];
