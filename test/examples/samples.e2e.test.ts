import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuild, ROOT, runLexi, tempDir } from "../helpers/cli.js";

const example = (name: string) => join(ROOT, "examples", name);

describe("the sample files in examples/ (built binary)", () => {
  const { dir, cleanup } = tempDir("lexi-samples-");
  const lexi = (args: string[]) => runLexi(["--db", join(dir, "samples.db"), ...args, "--json"], { cwd: dir });

  beforeAll(async () => {
    requireBuild();
    expect((await runLexi(["--db", join(dir, "samples.db"), "init"], { cwd: dir })).code).toBe(0);
  });
  afterAll(cleanup);

  it("lexi schema prints the committed JSON Schema, and names the kinds when given another", async () => {
    const schema = await runLexi(["schema", "feedback"], { cwd: dir });
    expect(schema.stdout).toBe(readFileSync(join(ROOT, "docs/schemas/feedback.schema.json"), "utf8"));
    const unknown = await runLexi(["schema", "feedbacks"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("lexi schema takes one of interactions, feedback, progress, metrics, template");
  });

  it("imports the interactions, then the feedback that rates them, then progress snapshots", async () => {
    const interactions = await lexi(["interactions", "import", example("interactions.jsonl")]);
    expect(interactions.stderr).toBe("");
    expect(JSON.parse(interactions.stdout)).toMatchObject({ read: 4, rejected: 0, written: { inserted: 4 } });

    const feedback = await lexi(["feedback", "import", example("feedback.jsonl")]);
    expect(JSON.parse(feedback.stdout)).toMatchObject({ read: 4, rejected: 0, written: { submitted: 4, flagged: 1 } });
    const flagged = JSON.parse((await lexi(["interactions", "list", "--flagged"])).stdout) as { user_input: { text: string } }[];
    expect(flagged.map((item) => item.user_input.text)).toEqual(["We arrived to the airport late."]);

    const progress = await lexi(["progress", "import", example("progress.jsonl")]);
    expect(JSON.parse(progress.stdout)).toMatchObject({ read: 3, rejected: 0, written: { saved: 3 } });
    const history = JSON.parse((await lexi(["progress", "history", "learner-0001", "--days", "100000"])).stdout) as { improvement_trend: string }[];
    expect(history.map((snapshot) => snapshot.improvement_trend).at(-1)).toBe("improving");
  });

  it("imports the metrics of two model versions, which compare as an improvement", async () => {
    const imported = await lexi(["metrics", "import", example("metrics.jsonl")]);
    expect(imported.stderr).toBe("");
    expect(JSON.parse(imported.stdout)).toMatchObject({ read: 2, rejected: 0 });
    const compared = await runLexi(["--db", join(dir, "samples.db"), "metrics", "compare", "qwen-unified", "v1.2.0", "v1.3.0", "--fail-on-regression", "2%"], { cwd: dir });
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/wer/);
  });

  it("exports with the sample template's system prompt", async () => {
    const out = join(dir, "grammar");
    const result = await lexi(["export", "--task", "grammar", "--format", "openai", "--min-quality", "0", "--template", example("export-template.json"), "--out", out]);
    expect(result.code).toBe(0);
    const lines = readFileSync(join(out, "data.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { messages: { role: string; content: string }[] });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.messages[0]).toEqual({ role: "system", content: expect.stringContaining("patient English tutor for Vietnamese learners") });
  });
});
