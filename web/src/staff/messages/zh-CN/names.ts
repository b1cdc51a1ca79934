// How the workbench names the staff who did something (components/StaffName.vue).
export default {
  me: "我",
  system: "系统",
  account: "账号 {sub}",
};
