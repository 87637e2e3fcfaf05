import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// Both builds export datasets: the staging worker is loaded by URL, next to the chunk that starts it.
const STAGING_WORKER = "src/services/export/staging-worker.ts";

const shared: Options = {
  format: ["esm"],
  target: "node20",
  splitting: true,
  sourcemap: true,
  define: { __LEXI_VERSION__: JSON.stringify(version) },
};

export default defineConfig([
  {
    ...shared,
    entry: { index: "src/index.ts", server: "src/http/serve.ts", "staging-worker": STAGING_WORKER },
    dts: { entry: { index: "src/index.ts", server: "src/http/serve.ts" } },
    // The CLI's own build lives in dist/cli/, cleaned by that build.
    clean: ["!cli/**"],
  },
  {
    // The `lexi` command, built on its own so that zod is bundled into it: zod's ESM build is
    // some 200 files, and loading them one by one cost every command ~60 ms of start-up. The
    // library keeps zod external, so its users share their own zod with it. bson stays external
    // everywhere: the MongoDB driver must see the same bson as lexi.
    ...shared,
    entry: { lexi: "src/cli/main.ts", "staging-worker": STAGING_WORKER },
    outDir: "dist/cli",
    noExternal: ["zod"],
    clean: true,
  },
]);
