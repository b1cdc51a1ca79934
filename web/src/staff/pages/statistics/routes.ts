import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/statistics", name: "statistics", component: () => import("./StatisticsPage.vue"),
    meta: { title: "statistics.title", can: "statistics" } },
] satisfies RouteRecordRaw[];
