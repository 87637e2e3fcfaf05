/**
 * Whole `lexi` processes against a bare `node -e 0` (goal ≤ 2x, median of several runs): `--help`,
 * and `command vs node` for `lexi status` and `lexi metrics log` on a small existing store, which
 * a CI job pays on every call.
 */
import { join } from "node:path";
import { type BenchLine, median, scratchDir, timeCommand } from "./harness.js";

const RUNS = 9;

export async function startupBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const bin = join(import.meta.dirname, "../bin/lexi.cjs");
    const db = join(dir, "small.db");
    timeCommand(process.execPath, [bin, "seed", "--interactions", "200", "--users", "10", "--db", db], dir);
    const commands: Array<[string, string[]]> = [
      ["lexi --help start-up", ["--help"]],
      ["command vs node: lexi status", ["status", "--db", db]],
      ["command vs node: lexi metrics log", ["metrics", "log", "accuracy=0.9", "--model", "m", "--version", "v1", "--db", db]],
    ];
    const bare: number[] = [];
    const runs = commands.map((): number[] => []);
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeCommand(process.execPath, ["-e", "0"], dir));
      commands.forEach(([, args], c) => runs[c]!.push(timeCommand(process.execPath, [bin, ...args], dir)));
    }
    return commands.map(([name], c) => {
      const ratio = median(runs[c]!) / median(bare);
      return { name, value: `${median(runs[c]!).toFixed(0)} ms`, baseline: `${median(bare).toFixed(0)} ms node -e 0`, ratio, goal: "≤ 2x", pass: ratio <= 2 };
    });
  } finally {
    cleanup();
  }
}
