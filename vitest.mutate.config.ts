/**
 * The test run of `npm run mutate`: the in-process tests, or the files listed (comma-separated
 * globs) in LEXI_MUTATE_TESTS to make a narrower run quick. The CLI tests run the built `dist/`
 * in child processes and the store tests exercise the engines, neither of which a mutant of
 * src/domain or src/services reaches; Stryker runs tests in worker threads, where `--expose-gc`
 * is not allowed.
 */
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.js";

const only = process.env.LEXI_MUTATE_TESTS?.split(",").map((glob) => glob.trim()).filter(Boolean);

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    ...(only?.length ? { include: only } : {}),
    exclude: [...configDefaults.exclude, "test/cli/**", "test/store/**"],
    execArgv: [],
  },
});
