/**
 * What the store and the disk hold at each phase boundary of an export that replaces an earlier
 * one, in-process (the CLI's kill tests stop the built binary at these points): the export is
 * stopped there by its test hook and inspected, so a boundary that moved or vanished is found.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ExportDoc } from "../../src/schema/export.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import type { ExportPhase } from "../../src/services/export/phase-hook.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { queuedExamples } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(() => {
  cleanup();
  // A stopped export never closes its staging; this process is alive, so no later export sweeps it.
  for (const entry of readdirSync(tmpdir())) if (entry.startsWith(`lexi-export-${process.pid}-`)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
});
let n = 0;
let store: Store;
const timers: Array<ReturnType<typeof setInterval>> = [];

beforeEach(async () => {
  store = await openStore(":memory:");
  await store.collection(COLLECTIONS.queue).insertMany(queuedExamples(6, (i) => ({ user_id: `learner-${i % 3}` })));
});
afterEach(async () => {
  delete process.env.LEXI_TEST_EXPORT_PAUSE;
  for (const timer of timers.splice(0)) clearInterval(timer);
  vi.restoreAllMocks();
  await store.close();
});

/** Starts an export over `previous` that stops at `phase`; resolves once it has stopped there, or says it never did. */
async function stopAt(phase: ExportPhase, path: string | null): Promise<"stopped" | "finished"> {
  const realSetInterval = globalThis.setInterval;
  // The hook waits on an interval so the process stays alive to be killed; keep it to clear it.
  vi.spyOn(globalThis, "setInterval").mockImplementation(((...args: Parameters<typeof setInterval>) => {
    const timer = realSetInterval(...args);
    timers.push(timer);
    return timer;
  }) as typeof setInterval);
  let stopped: () => void;
  const said = new Promise<"stopped">((resolve) => (stopped = () => resolve("stopped")));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    if (String(chunk) === `lexi-export-paused ${phase}\n`) stopped();
    return true;
  });
  process.env.LEXI_TEST_EXPORT_PAUSE = phase;
  const run = (path ? exportDataset(store, { mark_used: true, split: [0.5, 0.5], seed: 2 }, { path, force: true }) : exportDataset(store, { mark_used: true }, { stream: new PassThrough().resume() })).then(() => "finished" as const);
  return Promise.race([said, run]);
}

const hidden = (path: string) => readdirSync(dir).filter((name) => name.startsWith(`.${path.split("/").pop()}.`));
const records = () => store.collection<ExportDoc>(COLLECTIONS.exports).find({}, { sort: { created_at: 1 } }).toArray();
const marked = () => store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true });
const manifestId = (folder: string) => JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")).export_id;

describe("an export stopped at a phase boundary", () => {
  async function previous(): Promise<{ path: string; id: string }> {
    const path = join(dir, `${++n}-dataset`);
    const result = await exportDataset(store, {}, { path });
    return { path, id: result._id };
  }

  it("staged: only an incomplete record, no folder, nothing marked", async () => {
    const { path, id } = await previous();
    expect(await stopAt("staged", path)).toBe("stopped");
    const [, current] = await records();
    expect(current).toMatchObject({ state: "incomplete", files: [] });
    expect(hidden(path)).toEqual([]);
    expect(manifestId(path)).toBe(id);
    expect(await marked()).toBe(0);
  });

  it("written: its files complete in a hidden folder, still incomplete and unmarked", async () => {
    const { path, id } = await previous();
    expect(await stopAt("written", path)).toBe("stopped");
    const [temp] = hidden(path);
    expect(readdirSync(join(dir, temp!)).sort()).toEqual(["README.md", "manifest.json", "train.jsonl", "validation.jsonl"]);
    expect((await records()).map((r) => r.state)).toEqual(["complete", "incomplete"]);
    expect(manifestId(path)).toBe(id);
    expect(await marked()).toBe(0);
  });

  it("committed: marked and recorded as publishing, the earlier dataset still in place", async () => {
    const { path, id } = await previous();
    expect(await stopAt("committed", path)).toBe("stopped");
    const [, current] = await records();
    expect(current!.state).toBe("publishing");
    expect(await marked()).toBe(6);
    expect(manifestId(path)).toBe(id);
    expect(hidden(path).map((name) => name.split(".").pop())).toEqual(["tmp"]);
  });

  it("moved-aside: the earlier dataset moved aside, the new one not yet in place", async () => {
    const { path } = await previous();
    expect(await stopAt("moved-aside", path)).toBe("stopped");
    expect(existsSync(path)).toBe(false);
    expect(hidden(path).map((name) => name.split(".").pop()).sort()).toEqual(["old", "tmp"]);
  });

  it("published: the new dataset in place and its record complete", async () => {
    const { path } = await previous();
    expect(await stopAt("published", path)).toBe("stopped");
    const [, current] = await records();
    expect(manifestId(path)).toBe(current!._id);
    expect(hidden(path)).toEqual([]);
    expect(current!.state).toBe("complete");
  });

  it("committed, for a stream: marked and complete, there being no folder to move", async () => {
    expect(await stopAt("committed", null)).toBe("stopped");
    expect((await records()).map((r) => r.state)).toEqual(["complete"]);
    expect(await marked()).toBe(6);
  });
});
