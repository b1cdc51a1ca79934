// One Vite app with two entries: the citizen portal (index.html, at `/`) and the staff
// workbench (staff/index.html, at `/staff/`), code-split so that neither carries the other's
// pages. `npm run build` writes web/dist/portal, which the local stack serves (`make run`)
// and `make package` uploads per stage (docs/web.md).
import { fileURLToPath } from "node:url";
import vue from "@vitejs/plugin-vue";
import { searchForWorkspaceRoot } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: "dist/portal",
    emptyOutDir: true,
    rollupOptions: {
      input: {
        portal: fileURLToPath(new URL("./index.html", import.meta.url)),
        staff: fileURLToPath(new URL("./staff/index.html", import.meta.url)),
      },
    },
    // Pages are loaded as their routes are visited; the budget is checked by `make bench`.
    chunkSizeWarningLimit: 600,
    sourcemap: false,
  },
  // ../docs: the workbench reads the case lifecycle from docs/glossary.md (caseLifecycle.ts).
  server: { port: 5173, strictPort: true, host: "127.0.0.1",
            fs: { allow: [searchForWorkspaceRoot(process.cwd()), "../docs"] } },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
