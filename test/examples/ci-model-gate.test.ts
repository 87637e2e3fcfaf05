import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { listExports } from "../../src/services/exports.js";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, ROOT, runLexi, tempDir } from "../helpers/cli.js";

const SCRIPT = join(ROOT, "examples/ci-model-gate.sh");
const WORKFLOW = join(ROOT, "examples/ci-model-gate.yml");

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}

describe("examples/ci-model-gate", () => {
  const { dir, cleanup } = tempDir("lexi-gate-");
  const db = join(dir, "gate.db");
  const bin = join(dir, "bin");
  let exportId: string;

  beforeAll(async () => {
    requireBuild();
    // `lexi` on PATH, as `npm install --global` leaves it.
    mkdirSync(bin);
    writeFileSync(join(bin, "lexi"), `#!/bin/sh\nexec "${process.execPath}" "${LEXI_BIN}" "$@"\n`);
    chmodSync(join(bin, "lexi"), 0o755);
    const store = await openStore(db);
    await seedDemoData(store, { users: 6, interactions: 120, seed: 3 });
    await store.close();
    expect((await runLexi(["--db", db, "export", "--task", "grammar", "--min-quality", "0", "--out", join(dir, "grammar")], { cwd: dir })).code).toBe(0);
    const reopened = await openStore(db);
    exportId = (await listExports(reopened))[0]!._id;
    await reopened.close();
  });
  afterAll(cleanup);

  async function gate(candidate: string, metrics: Record<string, number>) {
    const metricsFile = join(dir, `${candidate}.json`);
    writeFileSync(metricsFile, JSON.stringify(metrics));
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      LEXI_DB: db,
      MODEL: "qwen-unified",
      BASELINE: "v1.3.0",
      CANDIDATE: candidate,
      METRICS_FILE: metricsFile,
      EXPORT_ID: exportId,
      LOWER_IS_BETTER: "fluency_mae",
    };
    return promisify(execFile)("sh", [SCRIPT], { cwd: dir, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  it("passes a candidate that is as good as the seeded baseline, and links it to its export", async () => {
    const result = await gate("v1.4.0", { grammar_f1: 0.8, fluency_mae: 0.1, bleu: 0.41 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No regression past the threshold.");
    const history = JSON.parse((await runLexi(["--db", db, "metrics", "history", "qwen-unified", "--json"], { cwd: dir })).stdout) as { version: string; export_id?: string }[];
    expect(history[0]).toMatchObject({ version: "v1.4.0", export_id: exportId });
  });

  it("fails on a lower-is-better metric that got worse, and on a missing metric", async () => {
    const worse = await gate("v1.5.0", { grammar_f1: 0.8, fluency_mae: 0.2, bleu: 0.41 });
    expect(worse.code).toBe(1);
    expect(worse.stderr).toContain("regresses against v1.3.0 on fluency_mae");
    const missing = await gate("v1.6.0", { grammar_f1: 0.8, fluency_mae: 0.1 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("on bleu (missing)");
  });

  it("replaces the entry when the same candidate is gated again", async () => {
    const rerun = await gate("v1.5.0", { grammar_f1: 0.8, fluency_mae: 0.1, bleu: 0.41 });
    expect(rerun.code).toBe(0);
    const history = JSON.parse((await runLexi(["--db", db, "metrics", "history", "qwen-unified", "--json"], { cwd: dir })).stdout) as { version: string }[];
    expect(history.filter((entry) => entry.version === "v1.5.0")).toHaveLength(1);
  });

  it("is what the workflow runs, after installing lexi from its repository rather than the npm registry", () => {
    const steps = (parse(readFileSync(WORKFLOW, "utf8")) as { jobs: { gate: { steps: Step[] } } }).jobs.gate.steps;
    const runs = steps.map((step) => step.run ?? "").join("\n");
    expect(runs).not.toMatch(/npm install --global lexi\b/);
    expect(runs).toMatch(/npm pack[\s\S]*npm install --global "\$RUNNER_TEMP"\/lexi-\*\.tgz/);
    const gateStep = steps.find((step) => step.run?.trim() === "sh ci-model-gate.sh");
    expect(gateStep?.env).toBeDefined();
    const required = [...readFileSync(SCRIPT, "utf8").matchAll(/\$\{(\w+):\?/g)].map((match) => match[1]);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(Object.keys(gateStep!.env!)).toContain(name);
  });

  it("packs a tarball that carries the built binary the workflow installs", async () => {
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(["bin/lexi.cjs", "bin/load-cli.cjs", "dist/lexi.cjs", "dist/staging-worker.js", "dist/index.js", "package.json"]));
  });
});
