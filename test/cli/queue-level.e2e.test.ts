/**
 * `--level` on `queue list` and `?level=` on GET /training-queue: one schema field, one flag,
 * one query parameter; both edges answer only examples of that CEFR level.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { serveForTest, type TestServer } from "../helpers/http.js";

describe("filtering the training queue by CEFR level", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "level.db");
  const lexi = (args: string[]) => runLexi([...args, "--db", db], { cwd: dir });
  let server: TestServer;

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 12, interactions: 300, seed: 6 });
    await store.close();
    server = await serveForTest(await openStore(db));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it("lists only one level's examples with --level (any case), and the levels add up to the whole queue", async () => {
    const all = JSON.parse((await lexi(["queue", "list", "--min-quality", "0", "--limit", "10000", "--json"])).stdout) as Array<{ difficulty_level: string }>;
    const levels = new Set(all.map((item) => item.difficulty_level));
    expect(levels.size).toBeGreaterThan(1);
    let total = 0;
    for (const level of levels) {
      const result = await lexi(["queue", "list", "--level", level.toLowerCase(), "--min-quality", "0", "--limit", "10000", "--json"]);
      expect(result.code).toBe(0);
      const items = JSON.parse(result.stdout) as Array<{ difficulty_level: string }>;
      expect(items.length).toBe(all.filter((item) => item.difficulty_level === level).length);
      expect(items.every((item) => item.difficulty_level === level)).toBe(true);
      total += items.length;
    }
    expect(total).toBe(all.length);
    const table = await lexi(["queue", "list", "--level", [...levels][0]!]);
    expect(table.stdout.split("\n").filter((line) => /^│ [0-9a-f]{24}/.test(line)).every((line) => line.includes(` ${[...levels][0]} `))).toBe(true);
  });

  it("refuses a level that is none, naming --level and the six levels", async () => {
    const result = await lexi(["queue", "list", "--level", "Z9"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--level takes a CEFR level: A1, A2, B1, B2, C1, C2");
  });

  it("answers GET /training-queue?level= with that level's examples only, and a 400 naming level for a bad one", async () => {
    const all = await server.get("/api/v1/training/training-queue", { min_quality_score: 0, limit: 1000 });
    const levels = new Set<string>(all.json.map((item: { difficulty_level: string }) => item.difficulty_level));
    expect(levels.size).toBeGreaterThan(1);
    for (const level of levels) {
      const answer = await server.get("/api/v1/training/training-queue", { level, min_quality_score: 0, limit: 1000 });
      expect(answer.status).toBe(200);
      expect(answer.json.length).toBe(all.json.filter((item: { difficulty_level: string }) => item.difficulty_level === level).length);
      expect(answer.json.every((item: { difficulty_level: string }) => item.difficulty_level === level)).toBe(true);
    }
    const bad = await server.get("/api/v1/training/training-queue", { level: "Z9" });
    expect(bad.status).toBe(400);
    expect(bad.json.details).toEqual([{ field: "level", reason: expect.any(String) }]);
  });
});
