/**
 * A tagged run (how an import or a seed lands whole on MongoDB), driven directly on the embedded
 * engine: the run's record says where it wrote and that it is alive, a failure undoes what it
 * wrote wherever that was, and success or failure leaves other runs' documents and records alone.
 */
import { describe, expect, it } from "vitest";
import { atomically, defaultAtomicity, IMPORT_RUNS, removeAbandonedRuns, RUN_TAG } from "../../src/services/import/atomic-run.js";
import type { Store } from "../../src/store/store.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const store = memoryStorePerTest();

const tagged = <R>(work: (run: Store) => Promise<R>) => atomically(store, work, { atomicity: "tagged" });
const boom = new Error("boom");

/** Another run's document and record, as a concurrent import would have them. */
async function anotherRun(): Promise<void> {
  await store.collection("things").insertOne({ _id: "theirs", [RUN_TAG]: "other-run" });
  await store.collection(IMPORT_RUNS).insertOne({ _id: "other-run", heartbeat: new Date(), collections: ["things"] });
}

describe("a tagged run", () => {
  it("is how imports land on MongoDB; the embedded engine uses one transaction", () => {
    expect(defaultAtomicity(store)).toBe("transaction");
    expect(defaultAtomicity({ ...store, backend: "mongodb" })).toBe("tagged");
  });

  it("records, after each transaction of its work, that it is alive and which collections it wrote", async () => {
    const seen: Array<{ heartbeat: Date; collections: string[] }> = [];
    const started = new Date();
    await tagged(async (run) => {
      await run.transaction(async (session) => {
        await session.collection("things").insertOne({ _id: "a" });
      });
      seen.push(...((await store.collection(IMPORT_RUNS).find({}).toArray()) as never[]));
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.collections).toEqual(["things"]);
    expect(seen[0]!.heartbeat.getTime()).toBeGreaterThanOrEqual(started.getTime());
  });

  it("runs transactions without an interrupt to check", async () => {
    await expect(tagged((run) => run.transaction(async (session) => session.collection("things").insertOne({ _id: "a" })))).resolves.toBeDefined();
  });

  it("on success, untags its own documents only and removes only its own record", async () => {
    await anotherRun();
    await tagged((run) => run.collection("things").insertOne({ _id: "mine" }));
    expect(await store.collection("things").findOne({ _id: "mine" })).toEqual({ _id: "mine" });
    expect(await store.collection("things").findOne({ _id: "theirs" })).toEqual({ _id: "theirs", [RUN_TAG]: "other-run" });
    expect((await store.collection(IMPORT_RUNS).find({}).toArray()).map((run) => run._id)).toEqual(["other-run"]);
  });

  it("on failure, removes what it wrote in any collection, and leaves other runs alone", async () => {
    await anotherRun();
    const failed = tagged(async (run) => {
      await run.collection("things").insertOne({ _id: "mine" });
      throw boom;
    });
    await expect(failed).rejects.toBe(boom);
    expect((await store.collection("things").find({}).toArray()).map((doc) => doc._id)).toEqual(["theirs"]);
    expect((await store.collection(IMPORT_RUNS).find({}).toArray()).map((run) => run._id)).toEqual(["other-run"]);
  });

  it("keeps an upsert's own $setOnInsert fields beside its tag", async () => {
    await tagged((run) => run.collection("things").updateOne({ _id: "u" }, { $set: { a: 1 }, $setOnInsert: { created: "by the run" } }, { upsert: true }));
    expect(await store.collection("things").findOne({ _id: "u" })).toEqual({ _id: "u", a: 1, created: "by the run" });
  });

  it("hands every collection operation to the store, tagging what it inserts", async () => {
    await store.collection("things").insertMany([{ _id: "x", n: 1 }, { _id: "y", n: 2 }, { _id: "z", n: 3 }]);
    await tagged(async (run) => {
      const things = run.collection("things");
      expect(await things.countDocuments({ n: { $gte: 2 } })).toBe(2);
      expect(await things.estimatedDocumentCount()).toBe(3);
      expect(await things.aggregate([{ $group: { _id: null, total: { $sum: "$n" } } }]).toArray()).toEqual([{ _id: null, total: 6 }]);
      expect(await things.updateMany({ n: { $gte: 2 } }, { $inc: { n: 10 } })).toMatchObject({ matchedCount: 2 });
      expect(await things.findOneAndUpdate({ _id: "x" }, { $set: { n: 0 } }, { returnDocument: "after" })).toEqual({ _id: "x", n: 0 });
      expect(await things.deleteOne({ _id: "x" })).toEqual({ deletedCount: 1 });
      expect(await things.deleteMany({ n: 13 })).toEqual({ deletedCount: 1 });
      await things.createIndexes([{ name: "n_1", keys: { n: 1 } }]);
      expect((await things.listIndexes()).map((index) => index.name)).toContain("n_1");
      await things.dropIndex("n_1");
      expect((await things.listIndexes()).map((index) => index.name)).not.toContain("n_1");
    });
    expect(await store.collection("things").find({}).toArray()).toEqual([{ _id: "y", n: 12 }]);
  });
});

describe("an abandoned run", () => {
  it("has what it wrote removed from every collection its record names", async () => {
    await store.collection("things").insertOne({ _id: "left", [RUN_TAG]: "dead-run" });
    await store.collection(IMPORT_RUNS).insertOne({ _id: "dead-run", heartbeat: new Date(Date.now() - 3_600_000), collections: ["things"] });
    expect(await removeAbandonedRuns(store)).toBe(1);
    expect(await store.collection("things").countDocuments()).toBe(0);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(0);
  });
});
