/**
 * Tiny benchmark helpers. Every result is a ratio against a baseline measured in the same run,
 * because this machine is shared and absolute numbers drift.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BenchLine {
  name: string;
  value: string;
  baseline: string;
  ratio: number;
  goal: string;
  pass: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One run of a measurement and of its baseline, and the ratio between them. */
export interface Turn<M, B> {
  measured: M;
  baseline: B;
  ratio: number;
}

/**
 * Runs a measurement and its baseline in turn, `turns` times, for lines where one pair can differ
 * from the next by 1.5x with nothing changed: the pair at the median ratio is the one reported,
 * beside every ratio (`ratios`).
 */
export function inTurns<M, B>(turns: number, run: (turn: number) => Turn<M, B>): { all: Turn<M, B>[]; median: Turn<M, B>; ratios: string } {
  const all = Array.from({ length: turns }, (_, turn) => run(turn));
  const middle = median(all.map((pair) => pair.ratio));
  return { all, median: all.find((pair) => pair.ratio === middle)!, ratios: all.map((pair) => pair.ratio.toFixed(2)).join(", ") };
}

export function time<T>(work: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, result };
}

export async function timeAsync<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

/** Wall time of a whole command, in ms. */
export function timeCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return performance.now() - start;
}

export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "lexi-bench-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function perSecond(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString("en")}/s`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
