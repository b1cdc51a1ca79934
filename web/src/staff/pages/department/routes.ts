import type { RouteRecordRaw } from "vue-router";

// 部门督办: a department lead's cards, rule breaches, rectifications and licenses.
export default [
  { path: "/department", name: "department-cards", component: () => import("./DepartmentCards.vue"),
    meta: { title: "department.cardsTitle", can: "department" } },
  { path: "/department/breaches", name: "department-breaches",
    component: () => import("./DepartmentBreaches.vue"),
    meta: { title: "department.breachesTitle", can: "department" } },
  { path: "/department/ratings", name: "department-ratings",
    component: () => import("./DepartmentRatings.vue"),
    meta: { title: "department.ratingsTitle", can: "department" } },
  { path: "/department/licenses", name: "department-licenses",
    component: () => import("./DepartmentLicenses.vue"),
    meta: { title: "department.licensesTitle", can: "department" } },
] satisfies RouteRecordRaw[];
