/**
 * A group over a large table is folded by two threads (the built package's worker), and gives the
 * groups one thread gives.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireBuild, ROOT, runNode, tempDir } from "../helpers/cli.js";

/** Stores 120,000 readings, then groups them by day outside a transaction and inside one (where one thread folds). */
const SCRIPT = `
import { subscribe } from "node:diagnostics_channel";
const { openStore } = await import(${JSON.stringify(join(ROOT, "dist/index.js"))});
const store = await openStore(process.argv[1]);
const readings = store.collection("readings");
await readings.createIndexes([{ name: "at_1", keys: { at: 1 } }, { name: "score_1", keys: { score: 1 } }]);
const start = Date.UTC(2026, 2, 1);
for (let batch = 0; batch < 12; batch++) {
  await readings.insertMany(Array.from({ length: 10_000 }, (_, k) => {
    const i = batch * 10_000 + k;
    return { _id: i, at: new Date(start + i * 37_000), score: ((i * 7919) % 1000) / 1000 };
  }));
}
const threads = [];
subscribe("lexi:embedded:read", (event) => threads.push(event.threads));
const byDay = [{ $group: { _id: { $dateToString: { date: "$at", format: "%Y-%m-%d" } }, n: { $sum: 1 }, sum: { $sum: "$score" }, avg: { $avg: "$score" }, min: { $min: "$score" }, max: { $max: "$score" } } }];
const split = await readings.aggregate(byDay).toArray();
const single = await store.transaction((session) => session.collection("readings").aggregate(byDay).toArray());
await store.close();
console.log(JSON.stringify({ threads, split, single }));
`;

describe("groups over a large table", () => {
  it("are folded by two threads, with the groups one thread finds", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const result = await runNode(["--input-type=module", "-e", SCRIPT, join(dir, "readings.db")], { cwd: dir });
      expect(result.stderr).toBe("");
      const { threads, split, single } = JSON.parse(result.stdout) as { threads: number[]; split: Array<Record<string, number | string>>; single: Array<Record<string, number | string>> };
      expect(threads).toEqual([2, 1]);
      // 120,000 readings 37 s apart: 52 days, in order of first appearance.
      expect(split.map((group) => group._id)).toEqual(single.map((group) => group._id));
      expect(split).toHaveLength(52);
      expect(split.reduce((total, group) => total + (group.n as number), 0)).toBe(120_000);
      split.forEach((group, i) => {
        const other = single[i]!;
        expect([group.n, group.min, group.max]).toEqual([other.n, other.min, other.max]);
        // Compensated sums of different partial groups agree to within a few units in the last place.
        expect(Math.abs((group.sum as number) - (other.sum as number))).toBeLessThan(1e-9);
        expect(Math.abs((group.avg as number) - (other.avg as number))).toBeLessThan(1e-12);
      });
    } finally {
      cleanup();
    }
  }, 60_000);
});
