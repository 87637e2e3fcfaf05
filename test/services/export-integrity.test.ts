/**
 * An export is all or nothing and its lineage never lies: splits that are never silently empty,
 * marks that cover every example a record stands for, folders that are never mixed or overwritten
 * by accident, task names that are plain data, and `verify` catching any file that changed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { verifyExport } from "../../src/services/exports.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/fixtures.js";
import { dataFiles } from "../helpers/export-files.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
let store: Store;
afterEach(async () => {
  await store?.close();
});

/** A store whose queue holds `items` examples from `learners` learners, every text distinct. */
async function queueOf(items: number, learners: number, options: { tasks?: string[]; text?: (i: number) => string; db?: string } = {}): Promise<Store> {
  store = await openStore(options.db ?? ":memory:");
  const [base] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 3, now: FIXED_NOW }).interactions;
  const interaction = buildInteractionDoc(InteractionInput.parse(base), FIXED_NOW);
  const docs: QueueItemDoc[] = Array.from({ length: items }, (_, i) => ({
    ...buildQueueItem(interaction, { tasks: options.tasks ?? ["grammar"], quality: 0.9, origin: "auto", now: FIXED_NOW }),
    _id: `q-${String(i).padStart(5, "0")}` as never,
    source_interaction_id: `src-${i}` as never,
    user_id: `learner-${i % learners}`,
    user_input: options.text?.(i) ?? `Sentence number ${i} of the learner.`,
  }));
  await store.collection(COLLECTIONS.queue).insertMany(docs);
  return store;
}

describe("splits", () => {
  it.each([3, 16, 1000])("give every split at least one of %i learners, each learner in one split, and count them", async (learners) => {
    await queueOf(Math.max(learners * 2, 60), learners);
    const path = out(`split-${learners}`);
    const result = await exportDataset(store, { split: [0.9, 0.05, 0.05], dedup: false }, { path });
    const userOf = new Map((await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({}).toArray()).map((item) => [String(item._id), item.user_id]));
    const usersIn = ["train", "validation", "test"].map((split) => new Set(lines(join(path, `${split}.jsonl`)).map((r) => userOf.get(r.id))));
    for (const users of usersIn) expect(users.size).toBeGreaterThan(0);
    expect(usersIn.reduce((sum, users) => sum + users.size, 0)).toBe(learners);
    expect(new Set(usersIn.flatMap((users) => [...users])).size).toBe(learners);
    expect({ ...result.counts.learners_per_split }).toEqual({ train: usersIn[0]!.size, validation: usersIn[1]!.size, test: usersIn[2]!.size });
    const manifest = JSON.parse(readFileSync(join(path, "manifest.json"), "utf8"));
    expect(manifest.files.map((f: { learners: number }) => f.learners)).toEqual(usersIn.map((users) => users.size));
    if (learners === 1000) expect(usersIn.map((users) => users.size)).toEqual([900, 50, 50]);
  });

  it("refuses fewer learners than splits with a clear message, or writes the empty split when allowed", async () => {
    await queueOf(10, 2);
    const path = out("two-learners");
    const error = await exportDataset(store, { split: [0.8, 0.1, 0.1] }, { path }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/only 2 learners match these filters, fewer than the 3 splits requested/);
    expect(existsSync(path)).toBe(false);
    expect(await store.collection(COLLECTIONS.exports).countDocuments()).toBe(0);
    const allowed = await exportDataset(store, { split: [0.8, 0.1, 0.1], allow_empty_splits: true }, { path });
    expect(allowed.files.map((f) => f.records).filter((r) => r === 0)).toHaveLength(1);
    expect(dataFiles(path)).toEqual(["manifest.json", "test.jsonl", "train.jsonl", "validation.jsonl"]);
  });
});

describe("--mark-used", () => {
  it("marks every example a record stands for, dropped duplicates included", async () => {
    await queueOf(40, 5, { text: (i) => `Repeated text ${i % 10}.` });
    const first = await exportDataset(store, { mark_used: true }, { path: out("dups") });
    expect(first.counts.records).toBe(10);
    expect(first.counts.dropped_duplicates).toBe(30);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ exports: first._id, used_in_training: true })).toBe(40);
    await expect(exportDataset(store, {}, { path: out("after-dups") })).rejects.toThrow(/no training examples match these filters \(left out: 40 already used\)/);
  });

  it("never hands the same example to two concurrent exports", async () => {
    await queueOf(300, 30);
    const results = await Promise.allSettled([exportDataset(store, { mark_used: true, dedup: false }, { path: out("race-a") }), exportDataset(store, { mark_used: true, dedup: false }, { path: out("race-b") })]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const items = await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({}).toArray();
    expect(items.every((item) => item.exports.length === 1)).toBe(true);
    expect(await store.collection(COLLECTIONS.exports).countDocuments()).toBe(1);
    expect(readdirSync(dir).filter((name) => name.includes("race-")).length).toBe(1);
  });
});

describe("destinations", () => {
  it("gives every default export a new folder and points latest at the newest", async () => {
    await queueOf(20, 4);
    const root = out("exports");
    const first = await exportDataset(store, {}, { under: root });
    const second = await exportDataset(store, { split: [0.5, 0.5] }, { under: root });
    expect(readdirSync(root).sort()).toEqual([first._id, second._id, "latest"].sort());
    expect(readlinkSync(join(root, "latest"))).toBe(second._id);
    expect(dataFiles(join(root, "latest"))).toEqual(["manifest.json", "train.jsonl", "validation.jsonl"]);
    expect((await verifyExport(store, first._id)).ok).toBe(true);
  });

  it("refuses a folder holding another export unless forced, and then replaces it whole", async () => {
    await queueOf(30, 6);
    const path = out("replaced");
    const old = await exportDataset(store, { split: [0.6, 0.2, 0.2] }, { path });
    const refused = await exportDataset(store, { split: [0.5, 0.5], seed: 3 }, { path }).catch((e) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toBe(`--out ${path} holds export ${old._id}; add --force to replace it whole, or choose another folder`);
    const fresh = await exportDataset(store, { split: [0.5, 0.5], seed: 3 }, { path, force: true });
    expect(dataFiles(path)).toEqual(["manifest.json", "train.jsonl", "validation.jsonl"]);
    expect(readdirSync(dir).filter((name) => name.includes("replaced"))).toEqual([path.split("/").pop()]);
    expect((await store.collection(COLLECTIONS.exports).findOne({ _id: old._id }))?.replaced_by).toBe(fresh._id);
    expect((await verifyExport(store, path)).ok).toBe(true);
    const stale = await verifyExport(store, old._id);
    expect(stale.ok).toBe(false);
    expect(stale.problems[0]).toBe(`the folder now holds export ${fresh._id} (export ${old._id} was replaced by it)`);
  });

  it.each([
    ["the store file", (db: string) => db, /is or holds the store/],
    ["a folder holding the store", () => dir, /is or holds the store/],
    ["a device", () => "/dev/null", /is a device or other special file/],
    ["a symbolic link", () => {
      const link = out("link");
      mkdirSync(`${link}-target`);
      symlinkSync(`${link}-target`, link);
      return link;
    }, /is a symbolic link/],
    ["a file name", () => out("data.jsonl"), /--out names a folder/],
    ["a folder of other files", () => {
      const folder = out("photos");
      mkdirSync(folder);
      writeFileSync(join(folder, "cat.jpg"), "meow");
      return folder;
    }, /holds files that are not a lexi export/],
  ])("refuses --out that is %s, and leaves it as it was", async (_what, path, message) => {
    const db = join(dir, `store-${++n}.db`);
    await queueOf(5, 5, { db });
    const target = path(db);
    const before = existsSync(target) ? statSync(target).mtimeMs : null;
    await expect(exportDataset(store, {}, { path: target, force: true })).rejects.toThrow(message);
    expect(existsSync(target) ? statSync(target).mtimeMs : null).toBe(before);
  });
});

describe("task names that are Object properties", () => {
  it.each(["openai", "sharegpt", "raw"] as const)("exports a queue item with the task constructor in %s", async (format) => {
    await queueOf(3, 3, { tasks: ["constructor"] });
    const path = out(`constructor-${format}`);
    const result = await exportDataset(store, { format }, { path });
    expect(result.counts.records).toBe(3);
    const manifest = JSON.parse(readFileSync(join(path, "manifest.json"), "utf8"));
    expect(manifest.counts.per_task).toEqual({ constructor: 3 });
  });
});

describe("exports verify", () => {
  it("says which files changed, went missing or do not belong, and which export is not recorded", async () => {
    await queueOf(40, 8);
    const path = out("verified");
    const result = await exportDataset(store, { split: [0.5, 0.25, 0.25] }, { path });
    expect(await verifyExport(store, result._id)).toMatchObject({ ok: true, problems: [], export_id: result._id });
    writeFileSync(join(path, "train.jsonl"), readFileSync(join(path, "train.jsonl"), "utf8").replace(/Sentence/, "Sentense"));
    rmSync(join(path, "test.jsonl"));
    writeFileSync(join(path, "test-old.jsonl"), "{}\n");
    const report = await verifyExport(store, path);
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.split, f.status])).toEqual([["train", "changed"], ["validation", "ok"], ["test", "missing"]]);
    expect(report.problems).toEqual(["train.jsonl is changed", "test.jsonl is missing", "test-old.jsonl is not part of the export"]);
    await store.collection(COLLECTIONS.exports).deleteOne({ _id: result._id });
    expect((await verifyExport(store, join(path, "manifest.json"))).problems[0]).toBe(`export ${result._id} is not recorded in the store`);
    await expect(verifyExport(store, out("nowhere"))).rejects.toThrow(/no export with id or folder/);
  });
});

describe("on a full disk", () => {
  const small = join(dir, "small-disk");
  let mounted = false;

  function mountSmall(bytes: number): boolean {
    mkdirSync(small, { recursive: true });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", small], { stdio: "ignore" });
      return (mounted = true);
    } catch {
      console.log("[lexi tests] disk-full manifest test skipped: mounting a small tmpfs needs root");
      return false;
    }
  }
  afterEach(() => {
    if (mounted) execFileSync("umount", [small]);
    mounted = false;
  });

  it("keeps the previous dataset, records nothing and marks nothing when the manifest does not fit", async (context) => {
    await queueOf(400, 20);
    // How many pages the new data file takes, measured on a normal disk (the output is deterministic).
    const probe = out("probe");
    await exportDataset(store, { dedup: false, split: [0.5, 0.5] }, { path: probe });
    const pages = ["train.jsonl", "validation.jsonl"].reduce((sum, file) => sum + Math.ceil(statSync(join(probe, file)).size / 4096), 0);
    await store.collection(COLLECTIONS.exports).deleteMany({});
    // Room for the previous export (a data file, a manifest and a dataset card: three pages) and the new data, not its manifest.
    if (!mountSmall((3 + pages) * 4096)) return context.skip();
    const path = join(small, "dataset");
    const previous = await exportDataset(store, { limit: 1 }, { path });
    const before = readFileSync(join(path, "data.jsonl"), "utf8");
    const failure = await exportDataset(store, { dedup: false, split: [0.5, 0.5], mark_used: true }, { path, force: true }).catch((e) => e);
    expect(failure.code).toBe("ENOSPC");
    expect(readdirSync(small)).toEqual(["dataset"]);
    expect(readFileSync(join(path, "data.jsonl"), "utf8")).toBe(before);
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ used_in_training: true })).toBe(0);
    expect((await store.collection(COLLECTIONS.exports).find({}).toArray()).map((e) => e._id)).toEqual([previous._id]);
    expect((await verifyExport(store, path)).ok).toBe(true);
    // Two pages more, for the manifest and the dataset card, and the same export fits: the manifest was what failed.
    execFileSync("mount", ["-o", `remount,size=${(5 + pages) * 4096}`, small]);
    const fitted = await exportDataset(store, { dedup: false, split: [0.5, 0.5], mark_used: true }, { path, force: true });
    expect((await verifyExport(store, fitted._id)).ok).toBe(true);
  });
});
