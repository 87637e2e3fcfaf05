/**
 * Mutation testing (`npm run mutate`): plants small bugs in the rules, the services and the key
 * check, and counts how many the tests catch. Incremental: a rerun tests only mutants whose code
 * or covering tests changed since the last report. Scores and accepted survivors:
 * docs/mutation-testing.md.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  coverageAnalysis: "perTest",
  mutate: ["src/domain/**/*.ts", "src/services/**/*.ts", "src/http/auth.ts"],
  // Type-checking every mutant costs more than running its tests on two cores.
  checkers: [],
  // A static mutant (module-level code such as the demo generator's word lists) would rerun the
  // whole suite for each mutant; they are reported as ignored, counted in docs/mutation-testing.md.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  tempDirName: "reports/.stryker-tmp",
  // The sandbox needs sources and tests only (dist/ is built from unmutated code).
  ignorePatterns: ["dist", ".lexi", "scratch", "bench", "examples"],
  cleanTempDir: "always",
  // The machine is shared: two test processes at most.
  concurrency: 2,
  // Generous for a loaded machine; a mutant stuck in a loop still ends within seconds.
  timeoutMS: 15_000,
  thresholds: { high: 90, low: 75, break: null },
};
