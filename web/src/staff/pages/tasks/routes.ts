import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/tasks", name: "tasks", component: () => import("./TaskInbox.vue"),
    meta: { title: "tasks.inbox", can: "inbox" } },
  { path: "/tasks/:taskId", name: "task", component: () => import("./TaskFile.vue"),
    meta: { title: "tasks.caseFile", can: "inbox" } },
] satisfies RouteRecordRaw[];
