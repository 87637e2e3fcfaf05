/**
 * `lexi --help` against a bare `node -e ''` (goal ≤ 2x, median of several runs).
 */
import { join } from "node:path";
import { type BenchLine, median, scratchDir, timeCommand } from "./harness.js";

const RUNS = 9;

export async function startupBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const bin = join(import.meta.dirname, "../bin/lexi.js");
    const bare: number[] = [];
    const help: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeCommand(process.execPath, ["-e", ""], dir));
      help.push(timeCommand(process.execPath, [bin, "--help"], dir));
    }
    const ratio = median(help) / median(bare);
    return [{ name: "lexi --help start-up", value: `${median(help).toFixed(0)} ms`, baseline: `${median(bare).toFixed(0)} ms node -e ''`, ratio, goal: "≤ 2x", pass: ratio <= 2 }];
  } finally {
    cleanup();
  }
}
