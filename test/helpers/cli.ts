/**
 * Runs the built `lexi` binary in a throwaway folder, as a user would.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const LEXI_BIN = join(ROOT, "bin/lexi.cjs");

/**
 * The compiled-code cache of the lexi processes tests start: one folder for the whole run, not
 * the cache of whoever runs the tests.
 */
const CODE_CACHE_HOME = join(tmpdir(), `lexi-test-code-cache-${process.getuid?.() ?? "user"}`);
mkdirSync(CODE_CACHE_HOME, { recursive: true, mode: 0o700 });

export function requireBuild(): void {
  if (!existsSync(join(ROOT, "dist/lexi.cjs"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it) before these tests");
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(args: string[], options: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, LEXI_DB: "", XDG_CACHE_HOME: CODE_CACHE_HOME, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    // Decoded as a stream: a character split between two pipe reads stays whole.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

export function runLexi(args: string[], options: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return runNode([LEXI_BIN, ...args], options);
}

/** A fresh folder per test file; removed by the returned cleanup. */
export function tempDir(prefix = "lexi-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
