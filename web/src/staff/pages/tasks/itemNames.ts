// Items' names for codes a page shows (public catalogue reads, cached by the API): asked
// once per code per session.
import { reactive } from "vue";
import { api, unwrap } from "../../../lib/api";

export const itemNames = reactive(new Map<string, string>());
const asked = new Set<string>();

export async function nameItems(codes: Iterable<string>): Promise<void> {
  const wanted = [...new Set(codes)].filter((code) => !asked.has(code));
  wanted.forEach((code) => asked.add(code));
  await Promise.all(wanted.map(async (code) => {
    try {
      const item = await unwrap(api().GET("/items/{code}", { params: { path: { code } } }));
      itemNames.set(code, item.name);
    } catch {
      asked.delete(code); // asked again next time
    }
  }));
}
