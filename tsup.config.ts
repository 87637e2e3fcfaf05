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
    // The `lexi` command, built on its own with zod and commander bundled in: zod's ESM build is
    // some 200 files, loaded one by one for ~60 ms, and commander's CommonJS cost ~10 ms through
    // Node's CommonJS bridge, on every command. The library keeps zod external, so its users share
    // their zod with it. bson stays external everywhere: the MongoDB driver must see lexi's bson.
    // Sources import zod as `import * as z from "zod"`, so the bundle keeps only the schema kinds
    // lexi builds; `import { z }` names an object that holds them all (290 KB instead of 150 KB).
    ...shared,
    entry: { lexi: "src/cli/main.ts", "staging-worker": STAGING_WORKER },
    outDir: "dist/cli",
    noExternal: ["zod", "commander", "fastest-levenshtein"],
    // commander and fastest-levenshtein are CommonJS: bundled into ES modules, their require()
    // of Node's own modules needs a require function.
    banner: { js: `import { createRequire as lexiCreateRequire } from "node:module"; const require = lexiCreateRequire(import.meta.url);` },
    // Less text to parse on every start; names stay, so a stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    clean: true,
  },
]);
