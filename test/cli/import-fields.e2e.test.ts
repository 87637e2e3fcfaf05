import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Double, EJSON, ObjectId } from "bson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";

describe("import summaries list unknown fields; --strict refuses them (built binary)", () => {
  const { dir, cleanup } = tempDir();
  beforeAll(requireBuild);
  afterAll(cleanup);
  const lexi = (args: string[]) => runLexi(["--db", join(dir, "store.db"), ...args], { cwd: dir });
  const file = (name: string, lines: string[]) => {
    writeFileSync(join(dir, name), lines.join("\n") + "\n");
    return name;
  };

  beforeAll(async () => {
    const interactions = demoInteractions(2).map((record, i) => JSON.stringify({ ...record, _id: `cli-${i}` }));
    expect((await runLexi(["--db", join(dir, "store.db"), "init"], { cwd: dir })).code).toBe(0);
    expect((await lexi(["interactions", "import", file("interactions.jsonl", interactions)])).code).toBe(0);
  });

  const feedback = () => file("feedback.jsonl", [JSON.stringify({ interaction_id: "cli-0", user_id: "u1", rating: 4, text: "clear" }), JSON.stringify({ interaction_id: "cli-1", user_id: "u1", rating: 5, text: "great" })]);

  it("--strict refuses the import with exit 2 and writes nothing", async () => {
    const refused = await lexi(["feedback", "import", feedback(), "--strict"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("text: unknown field; did you mean feedback_text?");
    const stats = JSON.parse((await lexi(["feedback", "stats", "--json"])).stdout);
    expect(stats.total_feedbacks).toBe(0);
  });

  it("by default keeps the field and says so after the counts, and under unknown_fields in --json", async () => {
    const shown = await lexi(["feedback", "import", feedback()]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("text: unknown field; did you mean feedback_text? (2 records; kept as written, --strict refuses)");
    const json = JSON.parse((await lexi(["feedback", "import", feedback(), "--json"])).stdout);
    expect(json.unknown_fields).toEqual([{ field: "text", records: 2, suggestion: "feedback_text", message: "text: unknown field; did you mean feedback_text?" }]);
  });

  it("lexi metrics import reads mongoexport's canonical form", async () => {
    const line = EJSON.stringify({ _id: new ObjectId(), model_name: "qwen", version: "v2", metrics: { bleu: new Double(0.5) }, timestamp: new Date("2026-01-02T00:00:00Z") }, { relaxed: false });
    const imported = await lexi(["metrics", "import", file("metrics.jsonl", [line]), "--json"]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ read: 1, written: { logged: 1, duplicates: 0 }, unknown_fields: [] });
    const [entry] = JSON.parse((await lexi(["metrics", "history", "qwen", "--json"])).stdout);
    expect(entry).toMatchObject({ version: "v2", metrics: { bleu: 0.5 } });
  });
});
