// A version's or item's status as a badge's tone.
export function statusTone(status: string | null | undefined): "success" | "warning" | "danger" | "default" | "primary" {
  switch (status) {
    case "published": return "success";
    case "draft": return "primary";
    case "suspended": return "warning";
    case "cancelled": return "danger";
    default: return "default";
  }
}
