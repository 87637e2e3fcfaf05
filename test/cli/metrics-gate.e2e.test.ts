import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("the metrics gate (built binary)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "gate.db");
  const lexi = (args: string[]) => runLexi(["--db", db, ...args], { cwd: dir });

  beforeAll(async () => {
    requireBuild();
    expect((await lexi(["init"])).code).toBe(0);
  });
  afterAll(cleanup);

  it("fails when the candidate lacks a metric, and passes with --allow-missing", async () => {
    expect((await lexi(["metrics", "log", "--model", "gate", "--version", "v1", "f1=0.8", "wer=0.2"])).code).toBe(0);
    expect((await lexi(["metrics", "log", "--model", "gate", "--version", "v2", "f1=0.9"])).code).toBe(0);
    const failed = await lexi(["metrics", "compare", "gate", "v1", "v2", "--fail-on-regression", "2%"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/wer.*MISSING/);
    expect(failed.stderr).toContain("v2 regresses against v1 on wer (missing)");
    expect((await lexi(["metrics", "compare", "gate", "v1", "v2", "--fail-on-regression", "2%", "--allow-missing"])).code).toBe(0);
  });

  it("refuses a bare threshold and unknown lower-is-better names with exit 2", async () => {
    const bare = await lexi(["metrics", "compare", "gate", "v1", "v2", "--fail-on-regression", "2"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--fail-on-regression 2 is ambiguous: write 2% for a relative change, or abs:2 for an absolute one");
    const typo = await lexi(["metrics", "compare", "gate", "v1", "v2", "--lower-is-better", "wre"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("their metrics: f1, wer");
  });

  it("stores a metric's direction at log time and compares with it", async () => {
    await lexi(["metrics", "log", "--model", "asr", "--version", "v1", "wer=0.20", "--lower-is-better", "wer"]);
    await lexi(["metrics", "log", "--model", "asr", "--version", "v2", "wer=0.25", "--lower-is-better", "wer"]);
    const gate = await lexi(["metrics", "compare", "asr", "v1", "v2", "--fail-on-regression", "0.02"]);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/wer \(↓ better\).*REGRESSED/);
  });

  it("warns when a version is logged again, and --replace keeps one entry", async () => {
    const again = await lexi(["metrics", "log", "--model", "asr", "--version", "v2", "wer=0.19", "--lower-is-better", "wer"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("lexi: warning: asr v2 was already logged (1 earlier entry); compare reads the latest. Pass --replace");
    const replaced = await lexi(["metrics", "log", "--model", "asr", "--version", "v2", "wer=0.18", "--lower-is-better", "wer", "--replace", "--json"]);
    expect(replaced.stderr).toBe("");
    expect(JSON.parse(replaced.stdout)).toMatchObject({ earlier_entries: 2, replaced: true });
    const history = JSON.parse((await lexi(["metrics", "history", "asr", "--json"])).stdout) as { version: string }[];
    expect(history.map((entry) => entry.version)).toEqual(["v2", "v1"]);
  });
});
