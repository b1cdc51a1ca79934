import { describe, expect, it } from "vitest";
import { gatherRoutes, isChunkError } from "./router";

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

describe("isChunkError", () => {
  it("tells a page's code that did not load from other navigation errors", () => {
    expect(isChunkError(new TypeError("Failed to fetch dynamically imported module: /assets/x.js"))).toBe(true);
    expect(isChunkError(new TypeError("Importing a module script failed."))).toBe(true);
    expect(isChunkError(new Error("Navigation cancelled"))).toBe(false);
  });
});
