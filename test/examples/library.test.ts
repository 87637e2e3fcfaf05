import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { logInteraction, openStore, submitFeedback } from "../../src/index.js";
import { ROOT, tempDir } from "../helpers/cli.js";

const EXAMPLE = join(ROOT, "examples/library.ts");

describe("examples/library.ts", () => {
  const { dir, cleanup } = tempDir("lexi-library-");
  afterAll(cleanup);

  it("is the README's library snippet, word for word", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${readFileSync(EXAMPLE, "utf8")}\`\`\``);
  });

  it("runs: logs an interaction, rates it, and exports it as a grammar example", async () => {
    const tsx = join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, "--tsconfig", join(ROOT, "tsconfig.json"), EXAMPLE], { cwd: dir, env: { ...process.env, LEXI_DB: join(dir, "library.db") } });
    expect(JSON.parse(stdout)).toMatchObject({ queued: true, quality_score: 1, records: 1 });
    expect(existsSync(join(dir, "datasets/grammar/data.jsonl"))).toBe(true);
    const [line] = readFileSync(join(dir, "datasets/grammar/data.jsonl"), "utf8").trim().split("\n");
    expect(JSON.parse(line!).messages[1]).toEqual({ role: "user", content: "I go to the library yesterday." });
  });

  it("refuses wrong input types at compile time (tsc checks the expect-error lines) and at run time", async () => {
    const store = await openStore(":memory:");
    try {
      // @ts-expect-error a rating is a number
      await expect(submitFeedback(store, { interaction_id: "i1", user_id: "u1", rating: "5" })).rejects.toThrow(/rating/);
      // @ts-expect-error user_input needs its text
      await expect(logInteraction(store, { session_id: "s1", user_id: "u1", user_input: {}, analysis: { fluency_score: 0.5, vocabulary_level: "B1", tutor_response: "ok" } })).rejects.toThrow(/user_input.text/);
    } finally {
      await store.close();
    }
  });
});
