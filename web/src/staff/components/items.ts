// Items' names by their codes (GET /items/{code}), each code read once for the workbench
// and kept: a card carries only its item's code, a clerk reads the name. A code whose item
// cannot be read shows as itself.
import { reactive } from "vue";
import { api, unwrap } from "../../lib/api";

const names = reactive(new Map<string, string>());
const asked = new Set<string>();

/** The item's name once read (asked for the first time it is wanted); its code until then. */
export function itemName(code: string): string {
  if (!code) return "";
  if (!asked.has(code)) {
    asked.add(code);
    unwrap(api().GET("/items/{code}", { params: { path: { code } } }))
      .then((item) => { names.set(code, item.name); })
      .catch(() => { asked.delete(code); });
  }
  return names.get(code) ?? code;
}
