/**
 * `npm run bench`: runs every benchmark (or those named on the command line) and prints ratios
 * against baselines measured in the same run. Exits 1 when a goal is missed.
 */
import { availableParallelism } from "node:os";
import type { BenchLine } from "./harness.js";
import { analyticsBench } from "./analytics.bench.js";
import { exportBench } from "./export.bench.js";
import { httpBench } from "./http.bench.js";
import { importBench } from "./import.bench.js";
import { pathsBench } from "./paths.bench.js";
import { reviewBench } from "./review.bench.js";
import { startupBench } from "./startup.bench.js";
import { storeBench } from "./store.bench.js";

const BENCHES: Record<string, () => Promise<BenchLine[]>> = {
  startup: startupBench,
  store: storeBench,
  paths: pathsBench,
  import: importBench,
  review: reviewBench,
  export: exportBench,
  analytics: analyticsBench,
  http: httpBench,
};

const wanted = process.argv.slice(2);
process.stdout.write(`cores: ${availableParallelism()} (os.availableParallelism), node ${process.version}\n`);
const lines: BenchLine[] = [];
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  const results = await bench();
  for (const line of results) {
    lines.push(line);
    process.stdout.write(`${line.pass ? "ok  " : "MISS"} ${line.name}: ${line.value} vs ${line.baseline} → ${line.ratio.toFixed(2)}x (goal ${line.goal})\n`);
  }
}
if (lines.some((line) => !line.pass)) process.exitCode = 1;
