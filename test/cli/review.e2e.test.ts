import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logInteraction } from "../../src/services/interactions.js";
import { addToQueue, getQueueItem, listQueue } from "../../src/services/queue.js";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { demoInteractions, interactionWith } from "../helpers/fixtures.js";
import { fakeEditor, literal } from "../helpers/fake-editor.js";
import { TmuxSession } from "../helpers/tmux.js";

describe("lexi review in a real terminal (tmux)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "review.db");
  const sessions: TmuxSession[] = [];
  const review = (reviewer: string, size?: { width: number; height: number }, extra = "", env = "") => {
    const command = `${env} ${process.execPath} ${LEXI_BIN} review --by ${reviewer} --db ${db} ${extra}`;
    const session = TmuxSession.start(`lexi-review-${process.pid}-${reviewer}`, command, dir, size);
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 6, interactions: 80, seed: 5 });
    await store.close();
  });
  afterAll(() => {
    sessions.forEach((s) => s.kill());
    cleanup();
  });

  it("shows one readable screen per item and saves each decision as it is made", async () => {
    const store = await openStore(db);
    const [first, second] = await listQueue(store, { status: "pending", min_quality_score: 0.7, limit: 2 });
    await store.close();
    const tty = review("ana");
    let screen = await tty.waitFor("lexi review · ana");
    expect(screen).toContain(`Example ${String(first!._id)}`);
    expect(screen).toContain("Learner:");
    expect(screen).toContain(first!.user_input);
    expect(screen).toContain("[a]pprove  [r]eject  [e]dit  [s]kip  [n]ote  [u]ndo  [g]roup  [?]help  [q]uit");
    expect(screen.split("\n").every((line) => line.length <= 80)).toBe(true);

    tty.keys("a");
    screen = await tty.waitFor("done 1 (✓1 ✗0)");
    expect(screen).toContain(`Example ${String(second!._id)}`);
    const check = await openStore(db);
    expect((await getQueueItem(check, { example_id: String(first!._id) })).status).toBe("approved");

    tty.keys("n");
    await tty.waitFor("Note for the next decision");
    tty.keys("-l", "level is too high");
    tty.keys("Enter");
    await tty.waitFor("Note: level is too high");
    tty.keys("r");
    await tty.waitFor("done 2 (✓1 ✗1)");
    const rejected = await getQueueItem(check, { example_id: String(second!._id) });
    expect(rejected).toMatchObject({ status: "rejected", validation_notes: "level is too high" });

    tty.keys("u");
    screen = await tty.waitFor("undone");
    expect(screen).toContain(`Example ${String(second!._id)}`);
    expect(screen).toContain("done 1 (✓1 ✗0)");
    expect((await getQueueItem(check, { example_id: String(second!._id) })).status).toBe("pending");

    const left = Number(/left (\d+)/.exec(screen)![1]);
    tty.keys("s");
    screen = await tty.waitFor("skipped 1");
    expect(screen).toContain(`left ${left - 1}`);
    tty.keys("q");
    screen = await tty.waitFor("ana: 1 decided (1 approved, 0 rejected), 1 skipped");
    const leased = await check.collection("training_queue").countDocuments({ "lease.by": "ana" });
    expect(leased).toBe(0);
    await check.close();
  }, 60_000);

  it("never shows two reviewers the same item", async () => {
    const one = review("bob");
    const two = review("cy");
    const screenOne = await one.waitFor("lexi review · bob");
    const screenTwo = await two.waitFor("lexi review · cy");
    const idOf = (screen: string) => /Example ([0-9a-f]{24})/.exec(screen)?.[1];
    expect(idOf(screenOne)).toBeTruthy();
    expect(idOf(screenTwo)).toBeTruthy();
    expect(idOf(screenOne)).not.toBe(idOf(screenTwo));
    one.keys("q");
    two.keys("q");
    // Under load tmux may show either the summary or the closed pane first; both mean a clean quit.
    await one.waitFor(/bob: 0 decided/);
    await two.waitFor(/cy: 0 decided/);
    const store = await openStore(db);
    expect(await store.collection("training_queue").countDocuments({ "lease.by": { $in: ["bob", "cy"] } })).toBe(0);
    await store.close();
  }, 60_000);

  it("uses the terminal's width and height, redraws on resize, and shows help on ?", async () => {
    const tty = review("dee", { width: 60, height: 20 });
    let screen = await tty.waitFor("lexi review · dee");
    const lines = screen.replace(/\n+$/, "").split("\n");
    expect(lines.every((line) => line.length <= 60)).toBe(true);
    expect(lines[0]).toMatch(/^lexi review · dee/);
    expect(screen).toContain("a:approve r:reject e:edit s:skip n:note u:undo ?:help q:quit");
    tty.resize(120, 30);
    screen = await tty.waitFor("─".repeat(120));
    expect(screen).toContain("[a]pprove  [r]eject");
    tty.keys("?");
    screen = await tty.waitFor("lexi review · keys");
    expect(screen).toContain("g decide once for every pending example with the same learner text");
    tty.keys("x");
    await tty.waitFor("lexi review · dee");
    tty.keys("q");
    await tty.waitFor(/dee: 0 decided/);
  }, 60_000);

  it("decides once for every pending example with the same learner text, after asking", async () => {
    const store = await openStore(db);
    const text = "Yesterday I go to the market with my mother.";
    const twins = 3;
    for (const input of demoInteractions(twins)) {
      const { interaction_id } = await logInteraction(store, { ...input, user_input: { ...input.user_input, text } });
      await addToQueue(store, { interaction_id, task_types: ["twins"], quality_score: 1 });
    }
    const tty = review("eve", undefined, "--task twins");
    const screen = await tty.waitFor("lexi review · eve");
    expect(screen.replace(/\s+/g, " ")).toContain(`g decides for all ${twins}`);
    tty.keys("g");
    await tty.waitFor("[a]pprove all, [r]eject all");
    tty.keys("r");
    // Those were the only examples of the task: the session ends with its summary.
    await tty.waitFor(new RegExp(`eve: ${twins} decided \\(0 approved, ${twins} rejected\\)`));
    expect(await store.collection("training_queue").countDocuments({ user_input: text, "history.by": "eve", status: "rejected" })).toBe(twins);
    await store.close();
  }, 60_000);

  it("e corrects the target in $EDITOR: an invalid edit comes back with the reason, a valid one is saved as an approval, u reverts it", async () => {
    const store = await openStore(db);
    const ids: string[] = [];
    for (const seed of [1, 2]) {
      // One error, low fluency, A1: not auto-queued, so it can be queued by hand.
      const input = interactionWith({ grammar_errors: [{ type: "verb_tense", error: "go", correction: "goes" }], fluency_score: 0.3, vocabulary_level: "A1" }, seed);
      const { interaction_id } = await logInteraction(store, { ...input, user_input: { ...input.user_input, text: `Edit me ${seed}` } });
      ids.push((await addToQueue(store, { interaction_id, task_types: ["edits"], quality_score: 1 })).example_id);
    }
    // A scripted editor: the first save empties a correction (invalid), the second fixes it and the tutor's response.
    const editor = fakeEditor(dir, [
      [{ pattern: "^( +)correction: .*$", flags: "m", replacement: "$1correction: ''" }],
      [
        { pattern: "^# NOT SAVED.*\\n# Fix it.*\\n#\\n", replacement: "" },
        literal("correction: ''", "correction: fixed"),
        { pattern: "^tutor_response: .*$", flags: "m", replacement: "tutor_response: Fixed by the editor" },
      ],
    ]);
    const tty = review("gus", undefined, "--task edits", `EDITOR='${editor.command}'`);
    await tty.waitFor(`Example ${ids[0]}`);
    tty.keys("e");
    await tty.waitFor("Note (why, optional)");
    tty.keys("-l", "tutor was too vague");
    tty.keys("Enter");
    let screen = await tty.waitFor(`corrected and approved ${ids[0]} → approved`);
    expect(screen).toContain(`Example ${ids[1]}`);
    const seen = editor.seen();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toContain("tutor_response: what the tutor says back to the learner");
    expect(seen[1]).toMatch(/^# NOT SAVED: invalid target: grammar_errors\.0\.correction: must not be empty/);
    let item = await getQueueItem(store, { example_id: ids[0]! });
    expect(item.corrected_output?.tutor_response).toBe("Fixed by the editor");
    expect(item.revisions).toEqual([expect.objectContaining({ by: "gus", note: "tutor was too vague" })]);

    tty.keys("u");
    screen = await tty.waitFor("undone");
    expect(screen).toContain(`Example ${ids[0]}`);
    item = await getQueueItem(store, { example_id: ids[0]! });
    expect(item.corrected_output).toBeUndefined();
    expect(item.status).toBe("pending");
    tty.keys("q");
    await tty.waitFor(/gus: 0 decided/);
    await store.close();
  }, 60_000);

  it("Ctrl-C stops the review as interrupted, keeps every decision, releases the item and prints the summary", async () => {
    const tty = review("fay", undefined, `2> ${join(dir, "fay.err")}`);
    await tty.waitFor("lexi review · fay");
    tty.keys("a");
    await tty.waitFor("done 1 (✓1 ✗0)");
    tty.keys("C-c");
    await tty.waitFor("exit=130");
    expect(readFileSync(join(dir, "fay.err"), "utf8")).toMatch(/^lexi: review interrupted; every decision is saved\.\nfay: 1 decided \(1 approved, 0 rejected\), 0 skipped, \d+ left\.\n$/);
    const store = await openStore(db);
    expect(await store.collection("training_queue").countDocuments({ "history.by": "fay" })).toBe(1);
    expect(await store.collection("training_queue").countDocuments({ "lease.by": "fay" })).toBe(0);
    await store.close();
  }, 60_000);

  it("refuses to run without a terminal and points to queue validate", async () => {
    const result = await runLexi(["review", "--by", "ana", "--db", db], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("lexi review needs an interactive terminal; in scripts use: lexi queue validate <id> --approve|--reject --by <name>");
  });
});
