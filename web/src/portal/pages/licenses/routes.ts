import type { RouteRecordRaw } from "vue-router";

// 我的证照, 用证记录, 我的材料, 消息: what the signed-in person (or a company they act for) holds.
export default [
  { path: "/me/licenses", name: "my-licenses", component: () => import("./LicenseList.vue"),
    meta: { title: "licenses.title", signIn: true } },
  { path: "/me/licenses/:licenseId", name: "my-license", component: () => import("./LicensePage.vue"),
    meta: { title: "licenses.one", signIn: true } },
  { path: "/me/access-log", name: "my-access-log", component: () => import("./AccessLog.vue"),
    meta: { title: "licenses.log.title", signIn: true } },
  { path: "/me/materials", name: "my-materials", component: () => import("./MyMaterials.vue"),
    meta: { title: "licenses.materials.title", signIn: true } },
  { path: "/me/notifications", name: "my-notifications", component: () => import("./MyNotifications.vue"),
    meta: { title: "licenses.notes.title", signIn: true } },
] satisfies RouteRecordRaw[];
