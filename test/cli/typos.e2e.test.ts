import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("forgiving flags (built binary)", () => {
  const { dir, cleanup } = tempDir("lexi-typos-");
  const db = join(dir, "typos.db");
  const lexi = (args: string[]) => runLexi(["--db", db, ...args], { cwd: dir });

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 12, interactions: 240, days: 20, seed: 5 });
    await store.close();
  });
  afterAll(cleanup);

  it("warns on an unknown --task, naming the near one, and still runs", async () => {
    const result = await lexi(["queue", "list", "--task", "grammer", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain("lexi: warning: grammer (did you mean grammar?) is not a task lexi knows (grammar, fluency, vocabulary");
  });

  it("accepts a lower-case level and relative dates in an export", async () => {
    const lower = await lexi(["export", "--task", "vocabulary", "--level", "c1", "--since", "60d", "--min-quality", "0", "--out", join(dir, "c1"), "--json"]);
    expect(lower.stderr).toBe("");
    expect(lower.code).toBe(0);
    const upper = await lexi(["export", "--task", "vocabulary", "--level", "C1", "--since", new Date(Date.now() - 60 * 86_400_000).toISOString(), "--min-quality", "0", "--out", join(dir, "C1"), "--json"]);
    const records = (text: string) => (JSON.parse(text) as { counts: { records: number } }).counts.records;
    expect(records(lower.stdout)).toBeGreaterThan(0);
    expect(records(lower.stdout)).toBe(records(upper.stdout));
  });

  it("refuses an unreadable date with exit 2, naming the accepted forms", async () => {
    const result = await lexi(["analytics", "--metric", "fluency", "--since", "last tuesday"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--since takes an ISO date (2026-03-01)");
    expect(result.stderr).toContain("yesterday");
    const yesterday = await lexi(["analytics", "--metric", "fluency", "--since", "yesterday", "--json"]);
    expect(yesterday.code).toBe(0);
  });
});
