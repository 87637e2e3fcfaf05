import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("lexi init / status (built binary)", () => {
  const { dir, cleanup } = tempDir();
  beforeAll(requireBuild);
  afterAll(cleanup);

  it("creates .lexi/lexi.db on first use and lists collections and indexes", async () => {
    const result = await runLexi(["init", "--json"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, ".lexi/lexi.db"))).toBe(true);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ engine: "embedded", location: join(dir, ".lexi/lexi.db") });
    const queue = body.collections.find((c: { name: string }) => c.name === "training_queue");
    expect(queue.indexes).toContainEqual({ name: "source_interaction_id_1", keys: { source_interaction_id: 1 }, unique: true });
    const interactions = body.collections.find((c: { name: string }) => c.name === "ai_interactions");
    expect(interactions.indexes).toContainEqual({ name: "retention_ttl", keys: { indexed_at: 1 }, ttl: 90 * 86_400 });
    const again = await runLexi(["init"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("source_interaction_id_1");
  });

  it("shows the engine, the location and the counts", async () => {
    const result = await runLexi(["status", "--json"], { cwd: dir });
    expect(JSON.parse(result.stdout).collections).toContainEqual({ name: "ai_interactions", count: 0 });
    const viaEnv = await runLexi(["status", "--create", "--json"], { cwd: dir, env: { LEXI_DB: join(dir, "other.db") } });
    expect(JSON.parse(viaEnv.stdout).location).toBe(join(dir, "other.db"));
    const viaFlag = await runLexi(["--db", "sqlite:third.db", "status", "--create", "--json"], { cwd: dir, env: { LEXI_DB: join(dir, "other.db") } });
    expect(JSON.parse(viaFlag.stdout).location).toBe(join(dir, "third.db"));
  });

  it("never prints a MongoDB password, and exits 5 when the store is unreachable", async () => {
    const result = await runLexi(["--db", "mongodb://admin:s3cr3t-pw@127.0.0.1:9/lexi", "status"], { cwd: dir });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^lexi: MongoDB is unreachable/);
    expect(result.stderr + result.stdout).not.toContain("s3cr3t-pw");
    expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  }, 20_000);

  it("answers usage mistakes with exit code 2 and no stack trace", async () => {
    const result = await runLexi(["frobnicate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  });

  it("explains a bad retention setting", async () => {
    const result = await runLexi(["status"], { cwd: dir, env: { LEXI_RETENTION_DAYS: "soon" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LEXI_RETENTION_DAYS must be a number of days from 0 (keep forever) to 24855; got "soon"');
  });
});
