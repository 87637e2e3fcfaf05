import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("lexi export --clean-share (built binary)", () => {
  const { dir, cleanup } = tempDir();
  beforeAll(requireBuild);
  afterAll(cleanup);
  const lexi = (args: string[]) => runLexi(args, { cwd: dir });

  beforeAll(async () => {
    expect((await lexi(["seed", "--interactions", "600"])).code).toBe(0);
  });

  it("adds the share of clean grammar records, says how many in the summary and the manifest, the same for the same seed", async () => {
    const run = (out: string) => lexi(["export", "--task", "grammar", "--format", "alpaca", "--clean-share", "0.2", "--seed", "3", "--out", out]);
    const shown = await run("a");
    expect(shown.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "a", "manifest.json"), "utf8"));
    const { clean, per_task } = manifest.counts;
    expect(clean.records).toBeGreaterThan(0);
    expect(shown.stdout).toContain(`clean grammar examples: ${clean.records} of ${per_task.grammar} grammar records (${((clean.records / per_task.grammar) * 100).toFixed(1)}%)`);
    expect(Math.abs(clean.records / per_task.grammar - 0.2)).toBeLessThanOrEqual(0.5 / per_task.grammar + 1e-9);
    expect((await run("b")).code).toBe(0);
    expect(readFileSync(join(dir, "b", "data.jsonl"), "utf8")).toBe(readFileSync(join(dir, "a", "data.jsonl"), "utf8"));
  });

  it("refuses a share past 0.9 and a format without per-task targets, with exit 2", async () => {
    const high = await lexi(["export", "--format", "openai", "--clean-share", "0.95", "--out", "c"]);
    expect(high.code).toBe(2);
    expect(high.stderr).toContain("--clean-share: must be at most 0.9");
    expect((await lexi(["export", "--format", "raw", "--clean-share", "0.2", "--out", "d"])).code).toBe(2);
  });
});
