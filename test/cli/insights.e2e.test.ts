import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("insight commands (built binary)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "insights.db");
  const lexi = (args: string[]) => runLexi(["--db", db, ...args], { cwd: dir });

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 10, interactions: 300, seed: 8 });
    await store.close();
  });
  afterAll(cleanup);

  it("prints analytics in the original's {metric, data, summary} shape", async () => {
    const result = await lexi(["analytics", "--metric", "grammar", "--group-by", "week", "--json"]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["metric", "data", "summary"]));
    expect(body.summary.interactions).toBe(300);
    const table = await lexi(["analytics", "--metric", "fluency", "--group-by", "day"]);
    expect(table.stdout).toContain("fluency by day (UTC)");
    expect(table.stdout).toContain("── avg");
  });

  it("saves snapshots and shows the history with a chart", async () => {
    for (const [date, fluency] of [["2026-01-01", "0.5"], ["2026-01-08", "0.55"], ["2026-01-15", "0.7"]] as const) {
      const saved = await lexi(["progress", "snapshot", "--user", "cli-user", "--level", "B1", "--fluency", fluency, "--grammar-accuracy", "0.7", "--vocabulary", "900", "--date", date]);
      expect(saved.code).toBe(0);
    }
    const history = await lexi(["progress", "history", "cli-user", "--days", "100000"]);
    expect(history.stdout).toContain("improving");
    expect(history.stdout).toContain("── fluency");
  });

  it("gates CI on regressions: exit 1 on a regression, 3 for an unknown version, 0 otherwise", async () => {
    expect((await lexi(["metrics", "log", "--model", "tutor", "--version", "v1", "f1=0.80", "wer=0.20"])).code).toBe(0);
    expect((await lexi(["metrics", "log", "--model", "tutor", "--version", "v2", "f1=0.81", "wer=0.25", "--meta", "epochs=3"])).code).toBe(0);
    const gate = await lexi(["metrics", "compare", "tutor", "v1", "v2", "--fail-on-regression", "5%", "--lower-is-better", "wer"]);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/wer \(↓ better\).*REGRESSED/);
    expect(gate.stderr).toContain("v2 regresses against v1 on wer");
    const ok = await lexi(["metrics", "compare", "tutor", "v1", "v2", "--fail-on-regression", "0.1", "--lower-is-better", "wer"]);
    expect(ok.code).toBe(0);
    const missing = await lexi(["metrics", "compare", "tutor", "v1", "v9", "--fail-on-regression", "1%"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no metrics logged for tutor v9");
    const history = await lexi(["metrics", "history", "tutor"]);
    expect(history.stdout).toMatch(/version.*f1.*wer/);
  });

  it.each([
    [["analytics", "--metric", "joy"], /metric/],
    [["analytics", "--metric", "fluency", "--group-by", "year"], /--group-by: /],
    [["analytics", "--metric", "fluency", "--since", "2026-05-01", "--until", "2026-04-01"], /start date must not be after the end date/],
    [["analytics", "--metric", "fluency", "--since", "the day before"], /--since takes an ISO date/],
    [["metrics", "log", "--model", "tutor", "--version", "v3", "f1=abc"], /"f1=abc" is not/],
    [["metrics", "compare", "tutor", "v1", "v2", "--fail-on-regression", "lots"], /--fail-on-regression takes/],
    [["progress", "snapshot", "--user", "u", "--level", "Z9", "--fluency", "0.5", "--grammar-accuracy", "0.5", "--vocabulary", "1"], /level/],
  ])("refuses %j with exit 2 and a clear message", async (args, message) => {
    const result = await lexi(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("detects and stores patterns", async () => {
    const result = await lexi(["patterns", "detect", "--days", "30", "--min-frequency", "2", "--json"]);
    const patterns = JSON.parse(result.stdout);
    expect(patterns.length).toBeGreaterThan(0);
    const status = JSON.parse((await lexi(["status", "--json"])).stdout);
    expect(status.collections).toContainEqual({ name: "error_patterns", count: patterns.length });
  });
});
