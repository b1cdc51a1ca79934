import type { RouteRecordRaw } from "vue-router";

export default [
  { path: "/me/cases", name: "my-cases", component: () => import("./MyCasesPage.vue"),
    meta: { title: "cases.listTitle", signIn: true } },
  { path: "/me/cases/:caseNo", name: "my-case", component: () => import("./CasePage.vue"),
    props: true, meta: { title: "cases.caseTitle", signIn: true } },
  { path: "/lookup", name: "lookup", component: () => import("./LookupPage.vue"),
    meta: { title: "cases.lookupTitle" } },
] satisfies RouteRecordRaw[];
