/**
 * The test run of `npm run mutate`: the in-process tests, or the files listed (comma-separated
 * globs) in LEXI_MUTATE_TESTS to make a narrower run quick. The CLI tests run the built `dist/`
 * in child processes and the store tests exercise the engines, neither of which a mutant of
 * src/domain or src/services reaches; Stryker runs tests in worker threads, where `--expose-gc`
 * is not allowed.
 */
import { relative } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import base from "./vitest.config.js";

/**
 * Quickest test files first (by their last run's time; unknown ones first). A mutant's run stops
 * at its first failing test, so a mutant that a quick test kills no longer waits for the slow
 * files vitest's own order puts first. The order changes only the time, not which mutants die.
 */
class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const time = (file: TestSpecification) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`)?.duration ?? 0;
    return [...files].sort((a, b) => time(a) - time(b));
  }
}

const only = process.env.LEXI_MUTATE_TESTS?.split(",").map((glob) => glob.trim()).filter(Boolean);

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    ...(only?.length ? { include: only } : {}),
    exclude: [...configDefaults.exclude, "test/cli/**", "test/store/**"],
    execArgv: [],
    sequence: { ...base.test?.sequence, sequencer: QuickestFirst },
  },
});
