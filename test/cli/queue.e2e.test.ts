import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logInteraction } from "../../src/services/interactions.js";
import { openStore } from "../../src/store/open-store.js";
import { requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { interactionWith } from "../helpers/fixtures.js";

describe("queue commands (built binary)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "queue.db");
  const lexi = (args: string[]) => runLexi([...args, "--db", db], { cwd: dir });
  let interactionId = "";

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    interactionId = (await logInteraction(store, interactionWith({ grammar_errors: [], fluency_score: 0.3, vocabulary_level: "A2" }, 9))).interaction_id;
    await store.close();
  });
  afterAll(cleanup);

  it("adds, lists, validates and shows the history", async () => {
    const added = JSON.parse((await lexi(["queue", "add", interactionId, "--task", "tutor_response", "--quality", "0.9", "--notes", "warm reply", "--json"])).stdout);
    const again = await lexi(["queue", "add", interactionId, "--task", "grammar"]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`already queued as example ${added.example_id}`);
    expect((await lexi(["queue", "validate", added.example_id, "--reject", "--by", "ana", "--notes", "too vague"])).stdout).toContain("now rejected");
    expect((await lexi(["queue", "validate", added.example_id, "--approve", "--by", "ana"])).stdout).toContain("now approved");
    const listed = JSON.parse((await lexi(["queue", "list", "--status", "approved", "--json"])).stdout);
    expect(listed.map((item: { _id: string }) => item._id)).toEqual([added.example_id]);
    const shown = await lexi(["queue", "show", added.example_id]);
    expect(shown.stdout).toMatch(/rejected\s+ana — too vague/);
    expect(shown.stdout).toMatch(/approved\s+ana/);
  });

  it("names the --notes flag when approving a flagged example without a note", async () => {
    const store = await openStore(db);
    const logged = await logInteraction(store, interactionWith({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }], fluency_score: 0.8, vocabulary_level: "B1" }, 10));
    await store.close();
    expect((await lexi(["feedback", "add", "--interaction", logged.interaction_id, "--user", "u1", "--rating", "1"])).code).toBe(0);
    const refused = await lexi(["queue", "validate", logged.example_id!, "--approve", "--by", "ana"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("is flagged (rating 1) and approving clears the flag: --notes: add a note saying why the answer is fine");
    expect((await lexi(["queue", "validate", logged.example_id!, "--approve", "--by", "ana", "--notes", "the correction is right"])).stdout).toContain("now approved");
  });

  it.each([
    [["queue", "validate", "0123456789abcdef01234567", "--approve", "--by", "ana"], 3, /no training example with id/],
    [["queue", "validate", "0123456789abcdef01234567", "--approve", "--reject", "--by", "ana"], 2, /choose exactly one of --approve or --reject/],
    [["queue", "validate", "0123456789abcdef01234567", "--approve", "--by", " "], 2, /reviewer name must not be empty/],
    [["queue", "add", "0123456789abcdef01234567", "--task", "grammar", "--quality", "1.5"], 2, /--quality: /],
    [["queue", "add", "0123456789abcdef01234567", "--task", "two words"], 2, /must be a word/],
    [["queue", "list", "--status", "maybe"], 2, /status/],
  ])("refuses %j with exit %i and changes nothing", async (args, code, message) => {
    const result = await lexi(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
