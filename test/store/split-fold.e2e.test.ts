/**
 * A group over a large table is folded by two threads (the built package's worker), and gives the
 * groups one thread gives, however the chunks of the table fall to each; a group with many keys, a
 * filtered group and a worker that cannot load fall back to one thread.
 */
import { cpSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireBuild, ROOT, runNode, tempDir } from "../helpers/cli.js";

/**
 * Stores 120,000 readings, then groups them by day outside a transaction and inside one (where
 * one thread folds), by a field unique to each reading (counting the groups of one reading), and
 * by day over a filtered range.
 */
const script = (dist: string) => `
import { subscribe } from "node:diagnostics_channel";
const { openStore } = await import(${JSON.stringify(join(dist, "index.js"))});
const store = await openStore(process.argv[1]);
const readings = store.collection("readings");
await readings.createIndexes([{ name: "at_1", keys: { at: 1 } }, { name: "score_1", keys: { score: 1 } }, { name: "serial_1", keys: { serial: 1 } }]);
const start = Date.UTC(2026, 2, 1);
for (let batch = 0; batch < 12; batch++) {
  await readings.insertMany(Array.from({ length: 10_000 }, (_, k) => {
    const i = batch * 10_000 + k;
    return { _id: i, at: new Date(start + i * 37_000), score: ((i * 7919) % 1000) / 1000, serial: \`r\${i}\` };
  }));
}
const threads = [];
subscribe("lexi:embedded:read", (event) => threads.push(event.threads));
const byDay = [{ $group: { _id: { $dateToString: { date: "$at", format: "%Y-%m-%d" } }, n: { $sum: 1 }, sum: { $sum: "$score" }, avg: { $avg: "$score" }, min: { $min: "$score" }, max: { $max: "$score" } } }];
const split = await readings.aggregate(byDay).toArray();
const single = await store.transaction((session) => session.collection("readings").aggregate(byDay).toArray());
const serials = (await readings.aggregate([{ $group: { _id: "$serial", n: { $sum: 1 } } }]).toArray()).filter((group) => group.n === 1).length;
const filtered = await readings.aggregate([{ $match: { at: { $gte: new Date(start) } } }, ...byDay]).toArray();
await store.close();
console.log(JSON.stringify({ threads, split, single, serials, filtered: filtered.length }));
`;

type Outcome = { threads: number[]; split: Array<Record<string, number | string>>; single: Array<Record<string, number | string>>; serials: number; filtered: number };

async function run(dist: string, dir: string): Promise<Outcome> {
  const result = await runNode(["--input-type=module", "-e", script(dist), join(dir, "readings.db")], { cwd: dir });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Outcome;
}

/**
 * Runs the script against a copy of the built package whose group worker is `worker`, source that
 * may run the built worker (as "./group-worker-built.js") after doing something of its own.
 */
async function runWithWorker(worker: string): Promise<Outcome> {
  requireBuild();
  const { dir, cleanup } = tempDir();
  try {
    const dist = join(dir, "package", "dist");
    cpSync(join(ROOT, "dist"), dist, { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "package", "node_modules"));
    renameSync(join(dist, "group-worker.js"), join(dist, "group-worker-built.js"));
    writeFileSync(join(dist, "group-worker.js"), worker);
    return await run(dist, dir);
  } finally {
    cleanup();
  }
}

/** The same groups in the same order; compensated sums of different partial groups agree to within a few units in the last place. */
function expectSameGroups(split: Outcome["split"], single: Outcome["single"]): void {
  expect(split.map((group) => [group._id, group.n, group.min, group.max])).toEqual(single.map((group) => [group._id, group.n, group.min, group.max]));
  split.forEach((group, i) => {
    expect(Math.abs((group.sum as number) - (single[i]!.sum as number))).toBeLessThan(1e-9);
    expect(Math.abs((group.avg as number) - (single[i]!.avg as number))).toBeLessThan(1e-12);
  });
}

describe("groups over a large table", () => {
  it("are folded by two threads, with the groups one thread finds", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const { threads, split, single, serials, filtered } = await run(join(ROOT, "dist"), dir);
      // Split by day; one thread inside the transaction, for 120,000 keys, and after a filter.
      expect(threads).toEqual([2, 1, 1, 1]);
      expect([serials, filtered]).toEqual([120_000, 52]);
      // 120,000 readings 37 s apart: 52 days, in order of first appearance.
      expect(split).toHaveLength(52);
      expect(split.reduce((total, group) => total + (group.n as number), 0)).toBe(120_000);
      expectSameGroups(split, single);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("give the same groups when the worker starts late and this thread folds all but its last chunk", async () => {
    // The worker sleeps 1.5 s before it starts: this thread takes every chunk it may meanwhile.
    const { threads, split, single } = await runWithWorker('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\nawait import("./group-worker-built.js");\n');
    expect(threads).toEqual([2, 1, 1, 1]);
    expectSameGroups(split, single);
  }, 60_000);

  it("give the same groups when the worker fails on its chunk, which this thread then folds", async () => {
    // The worker starts, then fails on the chunk that is its own from the start (one without bounds).
    const { threads, split, single, serials } = await runWithWorker(
      'import { workerData } from "node:worker_threads";\nworkerData.chunks[workerData.chunks.length - 1] = null;\nawait import("./group-worker-built.js");\n',
    );
    expect(threads).toEqual([1, 1, 1, 1]);
    expect(serials).toBe(120_000);
    expect(split).toEqual(single);
  }, 60_000);

  it("are folded by one thread when the worker cannot load, and the process goes on", async () => {
    const { threads, split, single } = await runWithWorker('throw new Error("a broken install");\n');
    expect(threads).toEqual([1, 1, 1, 1]);
    expect(split).toEqual(single);
  }, 60_000);
});
