// What a member of staff may do in the workbench, from who the API says they are (GET /me):
// the navigation shows, and the router opens, only what the role can take — the API still
// decides every request (a department's staff see only their department's tasks and cases).
import type { Schemas } from "../lib/api";

export type Capability =
  | "inbox"       // the department's tasks: acceptance (clerks) and review (reviewers)
  | "counter"     // intake of a walk-in applicant at the counter (clerks)
  | "department"  // a lead's cards, breaches, rectifications and license actions
  | "supervise"   // the supervision dashboard, appeals, reviews, revocation, the record
  | "samples"     // the instant approvals (秒批) sampled for checking (抽查), the items' switch
  | "statistics"  // the figures and the evaluators' export
  | "catalogue";  // the service catalogue's versions (admins)

export type Me = Schemas["Me"];

export function capabilitiesOf(me: Pick<Me, "role" | "leads">): Set<Capability> {
  const can = new Set<Capability>();
  switch (me.role) {
    case "clerk":
      can.add("inbox").add("counter");
      break;
    case "reviewer":
      can.add("inbox");
      break;
    case "supervisor":
      can.add("supervise").add("samples").add("statistics");
      break;
    case "admin":
      can.add("catalogue").add("samples").add("statistics");
      break;
    case "evaluator":
      can.add("statistics");
      break;
  }
  if ((me.role === "clerk" || me.role === "reviewer") && me.leads.length > 0) can.add("department");
  return can;
}

/** Whether the workbench is for this person at all (applicants use the portal). */
export function isStaff(me: Pick<Me, "role" | "leads">): boolean {
  return capabilitiesOf(me).size > 0;
}
