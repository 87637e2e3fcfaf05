import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";

describe("intake commands (built binary)", () => {
  const { dir, cleanup } = tempDir();
  beforeAll(requireBuild);
  afterAll(cleanup);
  const lexi = (args: string[], input?: string | Buffer) => runLexi(args, { cwd: dir, input });

  it("seeds deterministic demo data through the rules, once", async () => {
    const seeded = await lexi(["seed", "--interactions", "300", "--users", "12", "--json"]);
    expect(seeded.code).toBe(0);
    const result = JSON.parse(seeded.stdout);
    expect(result).toMatchObject({ already_seeded: false, interactions: 300, model_metrics: 3 });
    expect(result.queued).toBeGreaterThan(0);
    expect(result.flagged).toBeGreaterThan(0);
    const status = JSON.parse((await lexi(["status", "--json"])).stdout);
    expect(status.collections).toContainEqual({ name: "training_queue", count: result.queued });
    const again = JSON.parse((await lexi(["seed", "--interactions", "300", "--users", "12", "--json"])).stdout);
    expect(again.already_seeded).toBe(true);
    expect(JSON.parse((await lexi(["status", "--json"])).stdout).collections).toContainEqual({ name: "ai_interactions", count: 300 });
  });

  it("lists, shows and flags through feedback", async () => {
    const [first] = JSON.parse((await lexi(["interactions", "list", "--limit", "1", "--json"])).stdout);
    const shown = await lexi(["interactions", "show", first._id]);
    expect(shown.stdout).toContain(first.user_input.text);
    const flagged = await lexi(["feedback", "add", "--interaction", first._id, "--user", "reviewer-x", "--rating", "5", "--no-accurate", "--issue", "wrong_correction"]);
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toContain("FLAGGED for review (not accurate, reported: wrong_correction)");
    const list = JSON.parse((await lexi(["interactions", "list", "--flagged", "--limit", "1000", "--json"])).stdout);
    expect(list.map((i: { _id: string }) => i._id)).toContain(first._id);
    const stats = JSON.parse((await lexi(["feedback", "stats", "--user", "reviewer-x", "--json"])).stdout);
    expect(stats).toMatchObject({ total_feedbacks: 1, avg_rating: 5, accurate_percentage: 0, flagged: 1 });
  });

  it.each([
    [["--rating", "0"], /rating: must be 1 to 5/],
    [["--rating", "6"], /rating: must be 1 to 5/],
    [["--rating", "4.5"], /rating: must be a whole number/],
    [["--rating", "five"], /--rating must be a number; got "five"/],
  ])("refuses feedback %j with exit 2 and one clear line", async (flags, message) => {
    const [first] = JSON.parse((await lexi(["interactions", "list", "--limit", "1", "--json"])).stdout);
    const result = await lexi(["feedback", "add", "--interaction", first._id, "--user", "u1", ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("answers unknown (3) and malformed (2) interaction ids", async () => {
    const unknown = await lexi(["feedback", "add", "--interaction", "0123456789abcdef01234567", "--user", "u1", "--rating", "5"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("no interaction with id 0123456789abcdef01234567");
    const malformed = await lexi(["interactions", "show", "67890abcdef"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("looks like an ObjectId but is not 24 hexadecimal characters");
  });

  it("streams a 50 MB import through stdin and refuses it whole when one line is bad", async () => {
    const before = JSON.parse((await lexi(["status", "--json"])).stdout);
    const lines = demoInteractions(200).map((r) => JSON.stringify({ ...r, user_input: { ...r.user_input, context: ["x".repeat(400)] } }));
    const chunks: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const line = lines[i % lines.length]!;
      chunks.push(line);
      size += line.length + 1;
    }
    chunks.push('{"session_id": "s", "user_id": 7}');
    const result = await lexi(["interactions", "import", "-"], Buffer.from(chunks.join("\n") + "\n"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`1 of ${chunks.length} interaction records are invalid; nothing was written`);
    expect(result.stderr).toContain(`line ${chunks.length}: invalid interaction: user_id`);
    expect(JSON.parse((await lexi(["status", "--json"])).stdout)).toEqual(before);
  }, 120_000);

  it("imports from a pipe given as a path (like <(zcat data.jsonl.gz)), a JSON array from stdin, and --resume from stdin", async () => {
    const records = demoInteractions(30, 5).map((r, i) => ({ ...r, _id: `pipe-${i}` }));
    const gzipped = join(dir, "pipe.jsonl.gz");
    writeFileSync(gzipped, gzipSync(records.slice(0, 10).map((r) => JSON.stringify(r)).join("\n")));
    const viaPath = spawnSync("bash", ["-c", `node ${LEXI_BIN} interactions import <(zcat ${gzipped}) --json`], { cwd: dir, encoding: "utf8" });
    expect(viaPath.stderr).toBe("");
    expect(JSON.parse(viaPath.stdout).written.inserted).toBe(10);
    const array = await lexi(["interactions", "import", "-", "--json"], Buffer.from(`\uFEFF  ${JSON.stringify(records.slice(10, 20))}`));
    expect(JSON.parse(array.stdout)).toMatchObject({ read: 10, written: { inserted: 10 } });
    const resumed = await lexi(["interactions", "import", "-", "--resume", "--json"], Buffer.from(records.slice(20).map((r) => JSON.stringify(r)).join("\n")));
    expect(JSON.parse(resumed.stdout)).toMatchObject({ read: 10, written: { inserted: 10 }, resumed_after_line: 0 });
  });

  it("imports a file, then the same file again without duplicates", async () => {
    const path = join(dir, "history.jsonl");
    writeFileSync(path, demoInteractions(40, 99).map((r, i) => JSON.stringify({ ...r, _id: `h-${i}` })).join("\n"));
    const first = JSON.parse((await lexi(["interactions", "import", path, "--json"])).stdout);
    expect(first.written.inserted).toBe(40);
    const second = JSON.parse((await lexi(["interactions", "import", path, "--json"])).stdout);
    expect(second.written).toMatchObject({ inserted: 0, duplicates: 40 });
  });
});
