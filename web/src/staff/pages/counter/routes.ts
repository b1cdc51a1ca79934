import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/counter", name: "counter", component: () => import("./CounterIntake.vue"),
    meta: { title: "counter.title", can: "counter" } },
  { path: "/counter/receipt/:caseNo", name: "counter-receipt", component: () => import("./CounterReceipt.vue"),
    props: true, meta: { title: "counter.receiptTitle", can: "counter" } },
] satisfies RouteRecordRaw[];
