// The portal (index.html) is one Vite app; `npm run build` writes web/dist/portal, which the
// local stack serves (`make run`) and `make package` uploads per stage (docs/web.md).
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: "dist/portal",
    emptyOutDir: true,
    // Pages are loaded as their routes are visited; the budget is checked by `make bench`.
    chunkSizeWarningLimit: 600,
    sourcemap: false,
  },
  server: { port: 5173, strictPort: true, host: "127.0.0.1" },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
