import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

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

/**
 * zod's namespace re-exports every message locale (`z.locales`, 60-odd files, a third of its
 * code), which no bundler can drop. lexi speaks English only and never selects a locale: in the
 * CLI's bundle the locales module holds English alone, which zod applies by default anyway.
 */
const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: args.importer, namespace: "zod-english-only" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english-only" }, (args) => ({
      contents: `export { default as en } from "../locales/en.js";`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
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
    ...shared,
    entry: { lexi: "src/cli/main.ts", "staging-worker": STAGING_WORKER },
    outDir: "dist/cli",
    noExternal: ["zod", "commander", "fastest-levenshtein"],
    // commander and fastest-levenshtein are CommonJS: bundled into ES modules, their require()
    // of Node's own modules needs a require function.
    banner: { js: `import { createRequire as lexiCreateRequire } from "node:module"; const require = lexiCreateRequire(import.meta.url);` },
    esbuildPlugins: [zodEnglishOnly],
    // Less text to parse on every start; names stay, so a stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    clean: true,
  },
]);
