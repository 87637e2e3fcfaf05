/**
 * An export's scratch space and its commit, in-process: staging folders a killed export left in
 * the temp directory are swept by the next export (a live one's are kept), the best unit per
 * dedup key wins, splits and counts come from the staged rows, and a commit that finds its
 * examples claimed by another export refuses with how many.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { ConflictError } from "../../src/errors.js";
import type { ExportDoc } from "../../src/schema/export.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { commitExport } from "../../src/services/export/export-record.js";
import { ExportStaging, removeStaleStaging, type StagedUnit } from "../../src/services/export/staging.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { FIXED_NOW } from "../helpers/fixtures.js";

const DEAD_PID = 999_999_999;

describe("staging folders", () => {
  const made: string[] = [];
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  const folder = (name: string) => {
    const path = join(tmpdir(), name);
    mkdirSync(path);
    made.push(path);
    return path;
  };

  it("of killed exports are removed, those of live ones and other folders kept", () => {
    const stale = folder(`lexi-export-${DEAD_PID}-aBc123`);
    const live = folder(`lexi-export-${process.pid}-aBc123`);
    const other = folder(`not-lexi-export-${DEAD_PID}-x`);
    const unnumbered = folder(`lexi-export-x${DEAD_PID}-x`);
    removeStaleStaging();
    expect([stale, live, other, unnumbered].map(existsSync)).toEqual([false, true, true, true]);
  });

  it("of an export are removed when it closes, finished or not", async () => {
    const finished = new ExportStaging(false);
    await finished.add(unit("a", 0.5));
    await finished.finish();
    const abandoned = new ExportStaging(true);
    await abandoned.add(unit("a", 0.5));
    const dirs = [finished, abandoned].map((staging) => (staging as unknown as { dir: string }).dir);
    expect(dirs.map(existsSync)).toEqual([true, true]);
    await finished.close();
    await abandoned.close();
    expect(dirs.map(existsSync)).toEqual([false, false]);
  });
});

/** Each written line with its split, in the order the chunks hand them over. */
function writtenLines(staging: ExportStaging, limit?: number): Array<[string, number]> {
  return [...staging.chunks(limit)].flatMap((chunk) => {
    const text = chunk.text.toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(chunk.records);
    return lines.map((line): [string, number] => [line, chunk.split]);
  });
}

function unit(key: string, quality: number, fields: Partial<StagedUnit> = {}): StagedUnit {
  const exampleId = fields.exampleId ?? `ex-${key}-${quality}`;
  return { key, ord: `${exampleId}\u0000grammar`, exampleId, task: "grammar", group: `example:${exampleId}`, userId: "u1", quality, line: `{"id":"${exampleId}"}`, used: false, ...fields };
}

describe("staged units", () => {
  let staging: ExportStaging;
  afterEach(async () => {
    await staging.close();
  });

  it("keep the best per key: higher quality, then the smaller order, in the order keys first came", async () => {
    staging = new ExportStaging(true);
    await staging.add(unit("k1", 0.5, { exampleId: "b" }));
    await staging.add(unit("k2", 0.9, { exampleId: "c" }));
    await staging.add(unit("k1", 0.8, { exampleId: "d" }));
    await staging.add(unit("k1", 0.8, { exampleId: "a" }));
    await staging.add(unit("k1", 0.8, { exampleId: "e" }));
    await staging.add(unit("k2", 0.1, { exampleId: "f", used: true }));
    await staging.finish();
    expect(staging.offered).toBe(6);
    expect(staging.kept).toBe(2);
    // One split: nothing to rank or refuse, every unit in split 0.
    expect(staging.assignSplits(0, [1])).toBeNull();
    expect(writtenLines(staging)).toEqual([
      ['{"id":"a"}', 0],
      ['{"id":"c"}', 0],
    ]);
    const counted = await staging.countWritten();
    expect([...counted.perSplit]).toEqual([[0, { learners: 1, examples: 2 }]]);
    expect(counted.units).toEqual([{ split: 0, task: "grammar", note: "", n: 2 }]);
    // Every example behind a written key, the dropped duplicates too, used if any of its units was.
    expect([...staging.exportedExamples(undefined, 2)]).toEqual([
      [
        { id: "a", used: false },
        { id: "b", used: false },
      ],
      [
        { id: "c", used: false },
        { id: "d", used: false },
      ],
      [
        { id: "e", used: false },
        { id: "f", used: true },
      ],
    ]);
    expect([...staging.exportedExamples(1)].flat().map((e) => e.id)).toEqual(["a", "b", "d", "e"]);
  });

  it("written in batches keep every unit", async () => {
    staging = new ExportStaging(false);
    for (let i = 0; i < 4321; i++) await staging.add(unit(`k${i}`, 0.5, { exampleId: `e${i}`, group: `user:u${i % 7}`, userId: `u${i % 7}` }));
    await staging.finish();
    expect(staging.kept).toBe(4321);
    expect(staging.assignSplits(1, [0.5, 0.5], 4000)).toEqual({ groups: 7, perSplit: [4, 3] });
    // The first 4000 units, each split's in output order (chunks of 1024 rowids), a learner's in one split.
    const written = writtenLines(staging, 4000).map(([line, split]) => ({ i: Number(/e(\d+)/.exec(line)![1]), split }));
    expect(written.map(({ i }) => i).sort((a, b) => a - b)).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    for (const split of [0, 1]) {
      const order = written.filter((unit) => unit.split === split).map(({ i }) => i);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const splitOfLearner = new Map(written.map(({ i, split }) => [i % 7, split]));
    expect(written.every(({ i, split }) => splitOfLearner.get(i % 7) === split)).toBe(true);
    const counted = await staging.countWritten(4000);
    expect([...counted.perSplit].map(([split, tally]) => [split, tally.learners]).sort()).toEqual([
      [0, 4],
      [1, 3],
    ]);
    expect([...counted.perSplit.values()].reduce((sum, t) => sum + t.examples, 0)).toBe(4000);
    // Units per split, the split of the first written unit (e0, learner u0) first.
    const firstSplit = splitOfLearner.get(0)!;
    expect(counted.units.map(({ split, n }) => [split, n])).toEqual([firstSplit, 1 - firstSplit].map((split) => [split, written.filter((unit) => unit.split === split).length]));
    expect(await staging.countWritten(4000.7)).toEqual(counted);
    // Without trackMembers nothing is remembered for marking.
    expect([...staging.exportedExamples()]).toEqual([]);
  });

  it("count records per key space: the part of the key before its first colon", async () => {
    staging = new ExportStaging(false);
    for (const key of ["correction:a", "correction:b:c", "feedback:a", "rated:x:y:z"]) await staging.add(unit(key, 0.5));
    await staging.finish();
    expect(Object.fromEntries(staging.recordsPerKeySpace())).toEqual({ correction: 2, feedback: 1, rated: 1 });
    expect(Object.fromEntries(staging.recordsPerKeySpace(2))).toEqual({ correction: 2 });
  });

  it("made of learner texts share a key when the texts normalize alike, and remember every example behind it", async () => {
    staging = new ExportStaging(true);
    await staging.add(unit("", 0.5, { key: { prefix: "feedback:", text: "I  GO to school!" }, exampleId: "a" }));
    await staging.add(unit("", 0.9, { key: { prefix: "feedback:", text: "i go to school" }, exampleId: "b", used: true }));
    await staging.add(unit("", 0.7, { key: { prefix: "correction:", text: "i go to school" }, exampleId: "c" }));
    await staging.finish();
    expect(staging.kept).toBe(2);
    expect(writtenLines(staging).map(([line]) => line)).toEqual(['{"id":"b"}', '{"id":"c"}']);
    expect(Object.fromEntries(staging.recordsPerKeySpace())).toEqual({ feedback: 1, correction: 1 });
    expect([...staging.exportedExamples()].flat()).toEqual([
      { id: "a", used: false },
      { id: "b", used: true },
      { id: "c", used: false },
    ]);
  });

  it("are read only after finish", () => {
    staging = new ExportStaging(false);
    expect(() => staging.kept).toThrow("staging is read only after finish()");
  });
});

describe("the commit of an export's marks", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(":memory:");
    const [base] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 3, now: FIXED_NOW }).interactions;
    const interaction = buildInteractionDoc(InteractionInput.parse(base), FIXED_NOW);
    const docs: QueueItemDoc[] = Array.from({ length: 4 }, (_, i) => ({
      ...buildQueueItem(interaction, { tasks: ["grammar"], quality: 0.9, origin: "auto", now: FIXED_NOW }),
      _id: `q-${i}` as never,
      source_interaction_id: `src-${i}` as never,
      used_in_training: i < 2,
      exports: i < 2 ? ["exp-earlier"] : [],
    }));
    await store.collection(COLLECTIONS.queue).insertMany(docs);
  });
  afterEach(async () => {
    await store.close();
  });

  const record = { _id: "exp-now", state: "complete", replaces: null } as unknown as ExportDoc;

  it("refuses, saying how many, when examples read as unused were claimed meanwhile, and keeps nothing", async () => {
    const claimed = [{ id: "q-0", used: false }, { id: "q-1", used: false }, { id: "q-2", used: false }];
    await store.collection(COLLECTIONS.exports).insertOne({ ...record, state: "incomplete" });
    const error = await commitExport(store, record, () => [claimed]).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe("2 of the exported examples were marked as used by another export meanwhile; nothing was kept, run the export again");
    const items = await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({}, { sort: { _id: 1 } }).toArray();
    expect(items.map((item) => item.exports)).toEqual([["exp-earlier"], ["exp-earlier"], [], []]);
    expect((await store.collection<ExportDoc>(COLLECTIONS.exports).findOne({ _id: "exp-now" }))!.state).toBe("incomplete");
  });

  it("marks examples read as used (include_used) without claiming them, and stores the record", async () => {
    await store.collection(COLLECTIONS.exports).insertOne({ ...record, state: "incomplete" });
    await commitExport(store, record, () => [[{ id: "q-0", used: true }], [{ id: "q-2", used: false }]]);
    const items = await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({}, { sort: { _id: 1 } }).toArray();
    expect(items.map((item) => [item.used_in_training, item.exports])).toEqual([
      [true, ["exp-earlier", "exp-now"]],
      [true, ["exp-earlier"]],
      [true, ["exp-now"]],
      [false, []],
    ]);
    expect((await store.collection<ExportDoc>(COLLECTIONS.exports).findOne({ _id: "exp-now" }))!.state).toBe("complete");
  });

  it("stops between batches when aborted, keeping nothing", async () => {
    const abort = new AbortController();
    function* batches() {
      yield [{ id: "q-2", used: false }];
      abort.abort();
      yield [{ id: "q-3", used: false }];
    }
    await expect(commitExport(store, record, batches, abort.signal)).rejects.toThrow();
    expect(await store.collection(COLLECTIONS.queue).countDocuments({ exports: "exp-now" })).toBe(0);
  });
});
