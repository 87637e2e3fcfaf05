import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEXI_BIN, requireBuild, ROOT, tempDir } from "../helpers/cli.js";

describe("examples/dpo-from-corrections.sh", () => {
  const { dir, cleanup } = tempDir("lexi-dpo-");
  const bin = join(dir, "bin");
  beforeAll(() => {
    requireBuild();
    mkdirSync(bin);
    writeFileSync(join(bin, "lexi"), `#!/bin/sh\nexec "${process.execPath}" "${LEXI_BIN}" "$@"\n`);
    chmodSync(join(bin, "lexi"), 0o755);
  });
  afterAll(cleanup);

  it("seeds, corrects one example and exports DPO pairs with the trainer files", async () => {
    const { stdout } = await promisify(execFile)("sh", [join(ROOT, "examples/dpo-from-corrections.sh")], {
      cwd: dir,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LEXI_DB: join(dir, "demo.db"), OUT: "dpo" },
    });
    expect(stdout).toContain("trl dpo --model_name_or_path");
    const lines = readFileSync(join(dir, "dpo/data.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const fromCorrection = lines.filter((line) => line.source === "correction");
    expect(fromCorrection).toHaveLength(1);
    expect(fromCorrection[0].chosen[0].content).toContain("Corrected by a reviewer");
    expect(fromCorrection[0].rejected[0].content).not.toContain("Corrected by a reviewer");
    expect(existsSync(join(dir, "dpo/dataset_info.json")) && existsSync(join(dir, "dpo/README.md"))).toBe(true);
  }, 120_000);
});
