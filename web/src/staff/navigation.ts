// The workbench's navigation: one entry per page area, shown only to those who can use it.
// An area adds its entry here (label: an i18n key of messages/zh-CN/staff.ts's `nav*`).
import type { Capability } from "./capabilities";

export interface NavLink {
  to: string;
  label: string;
  can: Capability;
}

export const NAVIGATION: NavLink[] = [
  { to: "/tasks", label: "staff.navTasks", can: "inbox" },
  { to: "/counter", label: "staff.navCounter", can: "counter" },
  { to: "/department", label: "staff.navDepartment", can: "department" },
  { to: "/dashboard", label: "staff.navDashboard", can: "supervise" },
  { to: "/supervision", label: "staff.navSupervision", can: "supervise" },
  { to: "/samples", label: "staff.navSamples", can: "samples" },
  { to: "/statistics", label: "staff.navStatistics", can: "statistics" },
  { to: "/catalogue", label: "staff.navCatalogue", can: "catalogue" },
];
