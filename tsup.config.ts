import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// Workers are loaded by URL, next to the chunk that starts them: the library's, which the CLI's
// one file (dist/lexi.cjs, beside them) shares.
const WORKERS = {
  "staging-worker": "src/services/export/staging-worker.ts",
  "group-worker": "src/store/embedded/group-worker.ts",
  "check-worker": "src/services/import/check-worker.ts",
};

const shared: Options = {
  target: "node20",
  sourcemap: true,
  define: { __LEXI_VERSION__: JSON.stringify(version) },
};

// The CLI's one-file build, beside the library's files: its workers are the library's.
const CLI_FILES = ["lexi.cjs", "lexi.cjs.map"];

export default defineConfig([
  {
    ...shared,
    format: ["esm"],
    splitting: true,
    entry: { index: "src/index.ts", server: "src/http/serve.ts", ...WORKERS },
    dts: { entry: { index: "src/index.ts", server: "src/http/serve.ts" } },
    clean: CLI_FILES.map((name) => `!${name}`),
  },
  {
    // The `lexi` command is one CommonJS file, so bin/load-cli.cjs can compile it through V8's
    // code cache (Node 20 has no cache for ES modules): a command starts without parsing and
    // compiling its code again. zod and commander are bundled in: zod's ESM build is some 200
    // files, loaded one by one for ~60 ms. bson stays external everywhere: the MongoDB driver
    // must see lexi's bson. Sources import zod as `import * as z from "zod"`, so the bundle keeps
    // only the schema kinds lexi builds; `import { z }` names an object that holds them all.
    ...shared,
    format: ["cjs"],
    entry: { lexi: "src/cli/main.ts" },
    outExtension: () => ({ js: ".cjs" }),
    // import.meta.url becomes the file's own URL, so the staging worker is found beside it.
    shims: true,
    // The dependencies that are ES modules only are bundled in: a script compiled from a cache
    // cannot import(), and require() of an ES module gives its namespace where `default` was meant.
    // async-mutex too, which every store command loads: its CommonJS build (with tslib's await
    // helpers) cost some 9 ms of each start.
    noExternal: ["zod", "commander", "fastest-levenshtein", "ora", "string-width", "wrap-ansi", "async-mutex"],
    // Less text to read on every start; names stay, so a stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
  },
]);
