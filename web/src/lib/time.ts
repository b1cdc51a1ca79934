// Dates and times as a person in the region reads them, whatever the browser's own zone:
// every page shows one moment the same way (the case page, 我的材料, messages, drafts).
/** A date-time as a person in the region reads it (Asia/Shanghai), e.g. 2026-12-03 10:00. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hour12: false,
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

export function localDate(iso: string | null | undefined): string {
  if (!iso) return "";
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : localTime(iso).slice(0, 10);
}
