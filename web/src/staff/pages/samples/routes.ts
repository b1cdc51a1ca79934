import type { RouteRecordRaw } from "vue-router";

// 秒批抽查: the instant approvals sampled for a supervisor (or an admin) to check.
export default [
  { path: "/samples", name: "samples", component: () => import("./SamplesPage.vue"),
    meta: { title: "samples.title", can: "samples" } },
] satisfies RouteRecordRaw[];
