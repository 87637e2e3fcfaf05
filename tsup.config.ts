import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  entry: {
    index: "src/index.ts",
    server: "src/http/serve.ts",
    cli: "src/cli/main.ts",
    // Loaded by URL as a worker thread, next to the chunk that starts it.
    "staging-worker": "src/services/export/staging-worker.ts",
  },
  format: ["esm"],
  target: "node20",
  dts: { entry: { index: "src/index.ts", server: "src/http/serve.ts" } },
  splitting: true,
  sourcemap: true,
  clean: true,
  define: { __LEXI_VERSION__: JSON.stringify(version) },
});
