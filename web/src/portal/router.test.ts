import { describe, expect, it } from "vitest";
import { gatherRoutes } from "./router";

describe("gatherRoutes", () => {
  it("takes every area's routes, in a stable order whatever the glob's", () => {
    const a = { path: "/a" }, b = { path: "/b" }, c = { path: "/c" };
    const routes = gatherRoutes({
      "./pages/zeta/routes.ts": { default: [c] },
      "./pages/alpha/routes.ts": { default: [a, b] },
    });
    expect(routes.map((r) => r.path)).toEqual(["/a", "/b", "/c"]);
  });
});
