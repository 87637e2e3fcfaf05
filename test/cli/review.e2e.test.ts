import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getQueueItem, listQueue } from "../../src/services/queue.js";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { TmuxSession } from "../helpers/tmux.js";

describe("lexi review in a real terminal (tmux)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "review.db");
  const sessions: TmuxSession[] = [];
  const review = (reviewer: string) => {
    const session = TmuxSession.start(`lexi-review-${process.pid}-${reviewer}`, `${process.execPath} ${LEXI_BIN} review --by ${reviewer} --db ${db}`, dir);
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
    expect(screen).toContain("[a]pprove  [r]eject  [s]kip  [n]ote  [u]ndo  [q]uit");
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

    tty.keys("s");
    await tty.waitFor("skipped 1");
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
    await one.waitFor(/bob: 0 decided|Pane is dead \(status 0/);
    await two.waitFor(/cy: 0 decided|Pane is dead \(status 0/);
    const store = await openStore(db);
    expect(await store.collection("training_queue").countDocuments({ "lease.by": { $in: ["bob", "cy"] } })).toBe(0);
    await store.close();
  }, 60_000);

  it("refuses to run without a terminal and points to queue validate", async () => {
    const result = await runLexi(["review", "--by", "ana", "--db", db], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("lexi review needs an interactive terminal; in scripts use: lexi queue validate <id> --approve|--reject --by <name>");
  });
});
