import type { InteractionInput } from "../../src/schema/interaction.js";
import { existsSync } from "node:fs";
import { ObjectId } from "bson";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, InterruptedError, InvalidInputError, StoreUnavailableError } from "../../src/errors.js";
import { analytics } from "../../src/services/analytics.js";
import { listInteractions, logInteraction } from "../../src/services/interactions.js";
import { listQueue } from "../../src/services/queue.js";
import { COLLECTIONS, RETENTION_INDEX } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Collection, Doc, Store } from "../../src/store/store.js";
import { engines, mongoUri } from "../helpers/engines.js";

describe.each(engines)("store conformance: $name", (engine) => {
  let store: Store;
  let things: Collection;

  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(async () => {
    await store.close();
    await engine.dropAll();
  });
  beforeEach(async () => {
    things = store.collection("things");
    await things.deleteMany({});
  });

  async function seedThings(): Promise<void> {
    await things.insertMany([
      { _id: "a", name: "alpha", n: 3, tags: ["x", "y"], nested: { level: "B2", score: 0.9 }, errors: [{ type: "article" }] },
      { _id: "b", name: "beta", n: 1, tags: ["y"], nested: { level: "A1", score: 0.4 }, errors: [] },
      { _id: "c", name: "gamma", n: 2, tags: [], nested: { level: "C2", score: 0.7 }, errors: [{ type: "verb_tense" }, { type: "article" }] },
    ]);
  }

  describe("CRUD", () => {
    it("inserts with a generated ObjectId and finds the document again", async () => {
      const { insertedId } = await things.insertOne({ name: "one" });
      expect(insertedId).toBeInstanceOf(ObjectId);
      const found = await things.findOne({ _id: insertedId });
      expect(found).toEqual({ _id: insertedId, name: "one" });
    });

    it("keeps a string _id and tells it apart from an ObjectId of the same hex", async () => {
      const oid = new ObjectId();
      await things.insertMany([{ _id: oid.toHexString(), kind: "string" }, { _id: oid, kind: "oid" }]);
      expect((await things.findOne({ _id: oid }))?.kind).toBe("oid");
      expect((await things.findOne({ _id: oid.toHexString() }))?.kind).toBe("string");
    });

    it("deletes one or many and counts what is left", async () => {
      await seedThings();
      expect((await things.deleteOne({ n: { $gte: 2 } })).deletedCount).toBe(1);
      expect(await things.countDocuments()).toBe(2);
      expect((await things.deleteMany({})).deletedCount).toBe(2);
      expect(await things.countDocuments()).toBe(0);
    });
  });

  describe("filters", () => {
    beforeEach(seedThings);

    it("matches nested paths, array elements and arrays of subdocuments", async () => {
      const ids = async (filter: Doc) => (await things.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(await ids({ "nested.level": "B2" })).toEqual(["a"]);
      expect(await ids({ tags: "y" })).toEqual(["a", "b"]);
      expect(await ids({ "errors.type": "article" })).toEqual(["a", "c"]);
      expect(await ids({ errors: { $size: 0 } })).toEqual(["b"]);
      expect(await ids({ "nested.score": { $gte: 0.7 }, n: { $in: [2, 3] } })).toEqual(["a", "c"]);
      expect(await ids({ $or: [{ name: "beta" }, { "nested.level": { $in: ["C1", "C2"] } }] })).toEqual(["b", "c"]);
      expect(await ids({ missing: { $exists: false }, name: { $ne: "alpha" } })).toEqual(["b", "c"]);
    });

    it("finds what $exists finds: null values, array indexes, numeric keys and paths through arrays", async () => {
      const ids = async (filter: Doc) => (await things.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      await things.insertMany([
        { _id: "e1", v: null, list: [] },
        { _id: "e2", list: [0] },
        { _id: "e3", list: { "0": "key" } },
        { _id: "e4", outer: [{ list: ["x"] }, { list: [] }] },
        { _id: "e5", outer: { list: [] } },
      ]);
      expect(await ids({ v: { $exists: true } })).toEqual(["e1"]);
      expect(await ids({ "list.0": { $exists: true } })).toEqual(["e2", "e3"]);
      expect(await ids({ "outer.list.0": { $exists: true } })).toEqual(["e4"]);
      expect(await ids({ "errors.0": { $exists: true } })).toEqual(["a", "c"]);
      expect(await ids({ "errors.type": { $exists: true }, n: { $gt: 2 } })).toEqual(["a"]);
    });

    it("sorts, skips, limits and projects", async () => {
      const docs = await things.find({}, { sort: { n: -1 }, skip: 1, limit: 1, projection: { name: 1, _id: 0 } }).toArray();
      expect(docs).toEqual([{ name: "gamma" }]);
      const first = await things.findOne({}, { sort: { "nested.score": 1 } });
      expect(first?._id).toBe("b");
    });

    it("projects the fields it names: the filtered ones only when named, missing ones left out", async () => {
      await things.createIndexes([{ name: "n_1", keys: { n: 1 } }]);
      expect(await things.findOne({ _id: "b" }, { projection: { _id: 1 } })).toEqual({ _id: "b" });
      expect(await things.findOne({ n: 3 }, { projection: { name: 1, missing: 1, constructor: 1 } })).toEqual({ _id: "a", name: "alpha" });
      const found = await things.find({ n: { $gte: 2 } }, { projection: { tags: 1, name: 1, _id: 0 }, sort: { n: 1 } }).toArray();
      expect(found).toEqual([{ name: "gamma", tags: [] }, { name: "alpha", tags: ["x", "y"] }]);
      const byName = await things.find({ name: { $regex: "^[ab]" } }, { projection: { nested: 1 } }).toArray();
      expect(byName.sort((x, y) => String(x._id).localeCompare(String(y._id)))).toEqual([
        { _id: "a", nested: { level: "B2", score: 0.9 } },
        { _id: "b", nested: { level: "A1", score: 0.4 } },
      ]);
      // An array element projected by the query's match.
      expect(await things.find({ "errors.type": "article" }, { projection: { "errors.$": 1 }, sort: { _id: 1 } }).toArray()).toEqual([
        { _id: "a", errors: [{ type: "article" }] },
        { _id: "c", errors: [{ type: "article" }] },
      ]);
      expect(await things.findOne({ _id: "c", "errors.type": "verb_tense" }, { projection: { "errors.$": 1, name: 1 } })).toEqual({ _id: "c", name: "gamma", errors: [{ type: "verb_tense" }] });
      // A field projected by an operator beside named ones.
      expect(await things.findOne({ n: 2 }, { projection: { name: 1, errors: { $slice: -1 } } })).toEqual({ _id: "c", name: "gamma", errors: [{ type: "article" }] });
      expect(await things.find({ n: 2 }, { projection: { name: 1, errors: { $elemMatch: { type: "verb_tense" } } } }).toArray()).toEqual([{ _id: "c", name: "gamma", errors: [{ type: "verb_tense" }] }]);
      await things.dropIndex("n_1");
    });

    it("reads field names holding quotes and backslashes as they are, not a field named without them", async () => {
      await things.deleteMany({});
      await things.insertMany([
        { _id: 1, "it's": "yes", its: "no", 'say "hi"': 1, "back\\slash": "one" },
        { _id: 2, "it's": "no", its: "yes", says: 2, backslash: "two" },
      ]);
      await things.createIndexes([{ name: "it's_1", keys: { "it's": 1 } }]);
      expect(await things.find({ "it's": "yes" }).toArray()).toHaveLength(1);
      expect((await things.findOne({ "it's": "yes" }))?._id).toBe(1);
      expect((await things.find({}, { sort: { "it's": 1 }, projection: { _id: 1 } }).toArray()).map((doc) => doc._id)).toEqual([2, 1]);
      expect(await things.findOne({ _id: 1 }, { projection: { "it's": 1, 'say "hi"': 1 } })).toEqual({ _id: 1, "it's": "yes", 'say "hi"': 1 });
      expect((await things.find({ 'say "hi"': { $exists: true } }).toArray()).map((doc) => doc._id)).toEqual([1]);
      expect((await things.find({ "back\\slash": { $exists: true } }).toArray()).map((doc) => doc._id)).toEqual([1]);
      expect(await things.find({ _id: 2 }, { projection: { "back\\slash": 1, backslash: 1 } }).toArray()).toEqual([{ _id: 2, backslash: "two" }]);
      await things.dropIndex("it's_1");
    });

    it("sorts on indexed fields as MongoDB does: missing first, numbers, dates, compound keys", async () => {
      await things.createIndexes([{ name: "rank_1_at_-1", keys: { rank: 1, at: -1 } }]);
      await things.insertMany([
        { _id: "r1", rank: 2, at: new Date("2026-01-02T00:00:00Z") },
        { _id: "r2", rank: 1, at: new Date("2026-01-01T00:00:00.500Z") },
        { _id: "r3", at: new Date("2026-01-05T00:00:00Z") },
        { _id: "r4", rank: 1, at: new Date("2026-01-01T00:00:00Z") },
        { _id: "r5", rank: 10, at: new Date("2025-12-31T00:00:00Z") },
      ]);
      const order = async (sort: Record<string, 1 | -1>, filter: Doc = { _id: { $regex: "^r" } }, limit?: number) =>
        (await things.find(filter, { sort, limit })).toArray().then((docs) => docs.map((d) => d._id));
      expect(await order({ rank: 1, at: -1 })).toEqual(["r3", "r2", "r4", "r1", "r5"]);
      expect(await order({ rank: -1, at: 1 })).toEqual(["r5", "r1", "r4", "r2", "r3"]);
      expect(await order({ at: 1 })).toEqual(["r5", "r4", "r2", "r1", "r3"]);
      expect(await order({ rank: 1, at: -1 }, { rank: { $gte: 1 } }, 2)).toEqual(["r2", "r4"]);
      expect((await things.findOne({ rank: 1 }, { sort: { at: 1 } }))?._id).toBe("r4");
      expect((await things.findOneAndUpdate({ rank: { $exists: true } }, { $set: { top: true } }, { sort: { rank: -1 }, returnDocument: "after" }))?._id).toBe("r5");
      await things.dropIndex("rank_1_at_-1");
    });

    it("matches array elements through an index that first held only scalars, however the array arrived", async () => {
      await things.deleteMany({});
      await things.createIndexes([{ name: "labels_1", keys: { labels: 1 } }]);
      await things.insertMany([{ _id: "s1", labels: "x" }, { _id: "s2", labels: "y" }]);
      expect((await things.find({ labels: "x" }).toArray()).map((d) => d._id)).toEqual(["s1"]);
      await things.insertOne({ _id: "a1", labels: ["x", "z"] });
      await things.updateOne({ _id: "s2" }, { $set: { labels: ["y", "w"] } });
      const ids = async (filter: Doc) => (await things.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(await ids({ labels: "x" })).toEqual(["a1", "s1"]);
      expect(await ids({ labels: "w" })).toEqual(["s2"]);
      expect(await ids({ labels: { $in: ["z", "y"] } })).toEqual(["a1", "s2"]);
      expect(await things.countDocuments({ labels: "z" })).toBe(1);
      // An index created over documents that already hold arrays.
      await things.insertOne({ _id: "n1", nested: { tags: [{ t: "q" }, { t: "r" }] } });
      await things.createIndexes([{ name: "nested.tags.t_1", keys: { "nested.tags.t": 1 } }]);
      expect(await ids({ "nested.tags.t": "r" })).toEqual(["n1"]);
      await things.dropIndex("labels_1");
      await things.dropIndex("nested.tags.t_1");
    });

    it("returns every document once, in sort order, over a sorted scan many pages long", async () => {
      await things.deleteMany({});
      await things.createIndexes([{ name: "grade_-1", keys: { grade: -1 } }]);
      // Few distinct values (long runs of ties), numbers, strings, nulls and missing fields.
      const grades = [3, "b", null, 1, undefined, "a", 2.5];
      const docs = Array.from({ length: 2_000 }, (_, i) => (grades[i % grades.length] === undefined ? { _id: `g${i}` } : { _id: `g${i}`, grade: grades[i % grades.length] }));
      await things.insertMany(docs);
      const found = await things.find({}, { sort: { grade: -1 } }).toArray();
      expect(found.map((d) => d._id).sort()).toEqual(docs.map((d) => d._id).sort());
      // MongoDB's order of types, descending: strings, then numbers, then null and missing alike.
      const runs = found.map((d) => String(d.grade ?? null)).filter((grade, i, all) => grade !== all[i - 1]);
      expect(runs).toEqual(["b", "a", "3", "2.5", "1", "null"]);
      expect(await things.find({ _id: "g7" }, { sort: { grade: -1 } }).toArray()).toEqual([{ _id: "g7", grade: 3 }]);
      const tied = await things.find({ grade: 3 }, { sort: { grade: -1, _id: -1 }, projection: { _id: 1 } }).toArray();
      // `{ _id: 1 }` alone includes the ids only.
      expect(tied.every((d) => Object.keys(d).join() === "_id")).toBe(true);
      const ties = tied.map((d) => d._id as string);
      expect(ties).toEqual([...ties].sort().reverse());
      expect(await things.find({ _id: { $in: ["g8", "g7", "missing"] } }, { sort: { _id: 1 }, projection: { _id: 1 } }).toArray()).toEqual([{ _id: "g7" }, { _id: "g8" }]);
      expect(ties).toHaveLength(Math.ceil(docs.length / grades.length));
      await things.dropIndex("grade_-1");
    });

    it("answers date ranges on indexed fields exactly, around millisecond and type boundaries", async () => {
      await things.createIndexes([{ name: "at_1", keys: { at: 1 } }]);
      await things.insertMany([
        { _id: "d1", at: new Date("2026-01-01T00:00:00.000Z") },
        { _id: "d2", at: new Date("2026-01-01T00:00:00.001Z") },
        { _id: "d3", at: new Date("2026-01-02T00:00:00Z") },
        { _id: "d4", at: "2026-01-01T12:00:00Z" },
        { _id: "d5", at: 1767225600000 },
        { _id: "d6" },
      ]);
      const ids = async (filter: Doc) => (await things.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(await ids({ at: { $gte: new Date("2026-01-01T00:00:00.000Z"), $lt: new Date("2026-01-02T00:00:00Z") } })).toEqual(["d1", "d2"]);
      expect(await ids({ at: { $gt: new Date("2026-01-01T00:00:00.000Z") } })).toEqual(["d2", "d3"]);
      expect(await ids({ at: { $lte: new Date("2026-01-01T00:00:00.000Z") } })).toEqual(["d1"]);
      await things.dropIndex("at_1");
    });

    it("counts with a filter", async () => {
      expect(await things.countDocuments({ "errors.type": "article" })).toBe(2);
    });
  });

  describe("updates", () => {
    beforeEach(seedThings);

    it("applies $set $unset $inc $push $addToSet", async () => {
      const result = await things.updateOne(
        { _id: "a" },
        { $set: { "nested.level": "C1" }, $unset: { name: "" }, $inc: { n: 2 }, $push: { tags: "z" }, $addToSet: { errors: { type: "article" } } },
      );
      expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
      const doc = await things.findOne({ _id: "a" });
      expect(doc).toMatchObject({ n: 5, tags: ["x", "y", "z"], nested: { level: "C1", score: 0.9 }, errors: [{ type: "article" }] });
      expect(doc).not.toHaveProperty("name");
    });

    it("upserts from the filter's equalities, with $setOnInsert only on insert", async () => {
      const first = await things.updateOne({ key: "k1" }, { $set: { v: 1 }, $setOnInsert: { created: "first" } }, { upsert: true });
      expect(first.matchedCount).toBe(0);
      expect(first.upsertedId).toBeTruthy();
      await things.updateOne({ key: "k1" }, { $set: { v: 2 }, $setOnInsert: { created: "second" } }, { upsert: true });
      const docs = await things.find({ key: "k1" }).toArray();
      expect(docs).toHaveLength(1);
      expect(docs[0]).toMatchObject({ key: "k1", v: 2, created: "first" });
    });

    it("upserts by _id", async () => {
      await things.updateOne({ _id: "counter" }, { $inc: { n: 1 } }, { upsert: true });
      await things.updateOne({ _id: "counter" }, { $inc: { n: 1 } }, { upsert: true });
      expect(await things.findOne({ _id: "counter" })).toEqual({ _id: "counter", n: 2 });
    });

    it("updates many", async () => {
      const result = await things.updateMany({ n: { $lt: 3 } }, { $set: { low: true } });
      expect(result.matchedCount).toBe(2);
      expect(await things.countDocuments({ low: true })).toBe(2);
    });

    it("findOneAndUpdate returns the document before or after, in sort order", async () => {
      const before = await things.findOneAndUpdate({}, { $inc: { n: 10 } }, { sort: { n: 1 } });
      expect(before).toMatchObject({ _id: "b", n: 1 });
      const after = await things.findOneAndUpdate({ _id: "b" }, { $inc: { n: 1 } }, { returnDocument: "after" });
      expect(after).toMatchObject({ _id: "b", n: 12 });
      expect(await things.findOneAndUpdate({ _id: "zzz" }, { $set: { x: 1 } })).toBeNull();
    });

    it("findOneAndUpdate with upsert returns the inserted document with its new _id first, as stored", async () => {
      const inserted = await things.findOneAndUpdate({ key: "fresh" }, { $set: { v: 1 } }, { upsert: true, returnDocument: "after" });
      expect(Object.keys(inserted!)).toEqual(["_id", "key", "v"]);
      expect(await things.findOne({ key: "fresh" })).toEqual(inserted);
    });
  });

  describe("unique indexes", () => {
    it("raise a ConflictError on a duplicate key, for inserts, updates and upserts", async () => {
      await things.createIndexes([{ name: "code_1", keys: { code: 1 }, unique: true }]);
      await things.insertOne({ code: "x" });
      await expect(things.insertOne({ code: "x" })).rejects.toBeInstanceOf(ConflictError);
      await things.insertOne({ code: "y" });
      await expect(things.updateOne({ code: "y" }, { $set: { code: "x" } })).rejects.toBeInstanceOf(ConflictError);
      await expect(things.insertOne({ _id: (await things.findOne({ code: "x" }))!._id, code: "z" })).rejects.toBeInstanceOf(ConflictError);
      expect(await things.countDocuments()).toBe(2);
      await things.dropIndex("code_1");
    });

    it("skips duplicates with ordered: false and reports their positions", async () => {
      await things.insertOne({ _id: "dup" });
      const result = await things.insertMany([{ _id: "new1" }, { _id: "dup" }, { _id: "new2" }], { ordered: false });
      expect(result).toEqual({ insertedCount: 2, duplicateIndexes: [1] });
      expect(await things.countDocuments()).toBe(3);
    });

    it("answers equality filters on indexed fields exactly (strings, numbers, booleans, ObjectIds)", async () => {
      await things.createIndexes([{ name: "ref_1", keys: { ref: 1 } }, { name: "flag_1_n_1", keys: { flag: 1, n: 1 } }, { name: "n_1", keys: { n: 1 } }]);
      const ref = new ObjectId();
      await things.insertMany([
        { _id: 1, ref, flag: true, n: 1 },
        { _id: 2, ref: ref.toHexString(), flag: false, n: 1 },
        { _id: 3, ref: new ObjectId(), flag: 1, n: 2 },
      ]);
      const ids = async (filter: Doc) => (await things.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(await ids({ ref })).toEqual([1]);
      expect(await ids({ ref: ref.toHexString() })).toEqual([2]);
      expect(await ids({ flag: true })).toEqual([1]);
      expect(await ids({ flag: 1 })).toEqual([3]);
      expect(await ids({ n: 1, flag: { $eq: false } })).toEqual([2]);
      expect(await ids({ n: { $eq: 2 } })).toEqual([3]);
      for (const name of ["ref_1", "flag_1_n_1", "n_1"]) await things.dropIndex(name);
    });

    it("answers $in on indexed fields by type, as MongoDB does (1 is not true, an ObjectId is not its hex)", async () => {
      await things.createIndexes([{ name: "ref_1", keys: { ref: 1 } }, { name: "flag_1_n_1", keys: { flag: 1, n: 1 } }]);
      const ref = new ObjectId();
      await things.insertMany([
        { _id: 1, ref, flag: true, n: 1 },
        { _id: 2, ref: ref.toHexString(), flag: false, n: 1.0 },
        { _id: 3, ref: "other", flag: 1, n: 2 },
        { _id: 4, ref: null, n: 3 },
        { _id: 5, n: 4 },
      ]);
      const ids = async (filter: Doc) => (await things.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(await ids({ ref: { $in: [ref] } })).toEqual([1]);
      expect(await ids({ ref: { $in: [ref.toHexString(), "other"] } })).toEqual([2, 3]);
      expect(await ids({ ref: { $in: [ref, "other", "absent"] } })).toEqual([1, 3]);
      expect(await ids({ flag: { $in: [true] } })).toEqual([1]);
      expect(await ids({ flag: { $in: [1, false] } })).toEqual([2, 3]);
      // null matches a null value and a missing field alike.
      expect(await ids({ ref: { $in: [null] } })).toEqual([4, 5]);
      expect(await ids({ ref: { $in: [] } })).toEqual([]);
      expect(await ids({ flag: { $in: [true, 1] }, n: { $in: [1, 2] } })).toEqual([1, 3]);
      expect(await things.countDocuments({ ref: { $in: [ref, "other"] } })).toBe(2);
      for (const name of ["ref_1", "flag_1_n_1"]) await things.dropIndex(name);
    });

    it("lists the indexes that were created", async () => {
      const names = (await store.collection(COLLECTIONS.queue).listIndexes()).map((index) => index.name);
      expect(names).toContain("source_interaction_id_1");
    });
  });

  describe("aggregation", () => {
    beforeEach(seedThings);

    it("groups with $sum $avg $min $max $push $addToSet $first after $match and $sort", async () => {
      const rows = await things
        .aggregate([
          { $match: { n: { $gte: 1 } } },
          { $sort: { n: 1 } },
          { $group: { _id: null, total: { $sum: "$n" }, avg: { $avg: "$n" }, min: { $min: "$n" }, max: { $max: "$n" }, names: { $push: "$name" }, levels: { $addToSet: "$nested.level" }, first: { $first: "$name" }, count: { $sum: 1 } } },
        ])
        .toArray();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ total: 6, avg: 2, min: 1, max: 3, names: ["beta", "gamma", "alpha"], first: "beta", count: 3 });
      expect([...(rows[0]!.levels as string[])].sort()).toEqual(["A1", "B2", "C2"]);
    });

    it("adds fractions as MongoDB does: ten readings of 0.1 sum to 1 and average 0.1", async () => {
      // A plain running sum gives 0.9999999999999999. MongoDB keeps a double-double sum; the
      // embedded engine a compensated one, both when SQLite groups an indexed field's column and
      // when documents are read (an unindexed field).
      const readings = store.collection("readings");
      await readings.deleteMany({});
      await readings.createIndexes([{ name: "indexed_1", keys: { indexed: 1 } }]);
      await readings.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `r${i}`, indexed: 0.1, plain: 0.1 })));
      for (const field of ["$indexed", "$plain"]) {
        const [all] = await readings.aggregate([{ $group: { _id: null, sum: { $sum: field }, avg: { $avg: field } } }]).toArray();
        expect(all).toEqual({ _id: null, sum: 1, avg: 0.1 });
      }
    });

    it("unwinds, projects, limits, counts and facets", async () => {
      const byType = await things
        .aggregate([
          { $unwind: "$errors" },
          { $group: { _id: "$errors.type", count: { $sum: 1 } } },
          { $sort: { count: -1, _id: 1 } },
          { $limit: 1 },
          { $project: { _id: 0, type: "$_id", count: 1 } },
        ])
        .toArray();
      expect(byType).toEqual([{ type: "article", count: 2 }]);
      const [facets] = await things.aggregate([{ $facet: { total: [{ $count: "n" }], high: [{ $match: { n: { $gt: 1 } } }, { $count: "n" }] } }]).toArray();
      expect(facets).toEqual({ total: [{ n: 3 }], high: [{ n: 2 }] });
    });

    it("keeps null apart from missing, and traverses arrays, in grouped pipelines", async () => {
      await things.insertMany([
        { _id: "n1", v: null, deep: { list: [{ k: "x" }, { k: "y" }] } },
        { _id: "n2", deep: { list: [{ k: "x" }] } },
        { _id: "n3", v: 4, deep: "flat" },
      ]);
      const rows = await things
        .aggregate([
          { $match: { _id: { $in: ["n1", "n2", "n3"] }, "deep.list.k": "x" } },
          { $group: { _id: null, withV: { $sum: { $cond: [{ $eq: [{ $type: "$v" }, "missing"] }, 0, 1] } }, ks: { $push: "$deep.list.k" } } },
        ])
        .toArray();
      expect(rows).toEqual([{ _id: null, withV: 1, ks: [["x", "y"], ["x"]] }]);
      const exists = await things.aggregate([{ $match: { v: { $exists: true } } }, { $count: "n" }]).toArray();
      expect(exists).toEqual([{ n: 2 }]);
      const whole = await things.aggregate([{ $match: { _id: "n3" } }, { $group: { _id: "$_id", doc: { $first: "$$ROOT" } } }]).toArray();
      expect(whole).toEqual([{ _id: "n3", doc: { _id: "n3", v: 4, deep: "flat" } }]);
    });

    it("unwinds and counts by field paths as MongoDB does: missing, null, empty and array values", async () => {
      const grouped = store.collection("grouped");
      await grouped.insertMany([
        { _id: "g1", user: "u1", errs: [{ type: "tense", n: 2 }, { type: "article", n: 1 }] },
        { _id: "g2", user: "u2", errs: [{ type: "tense", n: 3 }] },
        { _id: "g3", user: "u1", errs: [] },
        { _id: "g4", user: "u3" },
        { _id: "g5", user: "u3", errs: null },
        { _id: "g6", user: "u4", errs: [{ n: 5 }] },
        { _id: "g7", user: ["u5", "u6"], errs: [{ type: "tense", n: 1 }] },
        { _id: "g8", user: "u1", errs: [{ type: "tense", n: "x" }] },
        { _id: "g9", errs: [{ type: "tense", n: 1 }] },
      ]);
      const byKey = (rows: Doc[]) => rows.map((row) => JSON.stringify(row)).sort();
      const pairs = await grouped
        .aggregate([
          { $match: { user: { $exists: true } } },
          { $unwind: "$errs" },
          { $group: { _id: { type: "$errs.type", user: "$user" }, count: { $sum: 1 }, total: { $sum: "$errs.n" } } },
        ])
        .toArray();
      expect(byKey(pairs)).toEqual(
        byKey([
          { _id: { type: "tense", user: "u1" }, count: 2, total: 2 },
          { _id: { type: "article", user: "u1" }, count: 1, total: 1 },
          { _id: { type: "tense", user: "u2" }, count: 1, total: 3 },
          { _id: { user: "u4" }, count: 1, total: 5 },
          { _id: { type: "tense", user: ["u5", "u6"] }, count: 1, total: 1 },
        ]),
      );
      const types = await grouped.aggregate([{ $unwind: "$errs" }, { $group: { _id: "$errs.type", count: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
      expect(types).toEqual([
        { _id: null, count: 1 },
        { _id: "article", count: 1 },
        { _id: "tense", count: 5 },
      ]);
    });

    it("groups dates by day, week (Monday) and month", async () => {
      await things.deleteMany({});
      await things.insertMany([
        { at: new Date("2026-03-02T10:00:00Z") }, // a Monday
        { at: new Date("2026-03-08T23:59:59Z") }, // the Sunday of that week
        { at: new Date("2026-03-09T00:00:00Z") }, // the next Monday
        { at: new Date("2026-04-01T12:00:00Z") },
      ]);
      const group = async (key: Doc) =>
        (await things.aggregate([{ $group: { _id: key, n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray()).map((row) => [row._id, row.n]);
      expect(await group({ $dateToString: { date: "$at", format: "%Y-%m-%d" } })).toEqual([
        ["2026-03-02", 1], ["2026-03-08", 1], ["2026-03-09", 1], ["2026-04-01", 1],
      ]);
      expect(await group({ $dateTrunc: { date: "$at", unit: "week", startOfWeek: "monday" } })).toEqual([
        [new Date("2026-03-02T00:00:00Z"), 2], [new Date("2026-03-09T00:00:00Z"), 1], [new Date("2026-03-30T00:00:00Z"), 1],
      ]);
      expect(await group({ $dateTrunc: { date: "$at", unit: "month" } })).toEqual([
        [new Date("2026-03-01T00:00:00Z"), 3], [new Date("2026-04-01T00:00:00Z"), 1],
      ]);
    });
  });

  describe("types", () => {
    it("round-trips Dates and ObjectIds, nested and in arrays, and matches them in filters", async () => {
      const ref = new ObjectId();
      const at = new Date("2026-05-06T07:08:09.010Z");
      const whole = new Date("2026-05-06T07:08:09.000Z");
      await things.insertOne({ _id: "t", ref, at, list: [whole, { ref }] });
      const doc = await things.findOne({ _id: "t" });
      expect(doc?.ref).toBeInstanceOf(ObjectId);
      expect((doc?.ref as ObjectId).equals(ref)).toBe(true);
      expect(doc?.at).toEqual(at);
      expect(doc?.list).toEqual([whole, { ref }]);
      expect(await things.countDocuments({ at })).toBe(1);
      expect(await things.countDocuments({ at: { $gt: whole } })).toBe(1);
      expect(await things.countDocuments({ at: { $lt: whole } })).toBe(0);
      expect(await things.countDocuments({ ref })).toBe(1);
      expect(await things.countDocuments({ ref: ref.toHexString() })).toBe(0);
    });

    it("reads undefined as the MongoDB client sends it: a field left out, a list element null", async () => {
      const ids = [new ObjectId(), new ObjectId()];
      await things.insertMany([{ _id: ids[0], at: new Date(0), note: "kept" }, { _id: ids[1], at: new Date(1) }]);
      expect(await things.countDocuments({ _id: { $in: [undefined] } })).toBe(0);
      expect(await things.countDocuments({ at: { $in: [undefined] } })).toBe(0);
      expect(await things.countDocuments({ _id: { $nin: [undefined] } })).toBe(2);
      expect(await things.countDocuments({ note: undefined })).toBe(2);
      await things.updateOne({ _id: ids[0] }, { $set: { note: undefined, seen: true } });
      expect(await things.findOne({ _id: ids[0] }, { projection: { _id: 0, note: 1, seen: 1 } })).toEqual({ note: "kept", seen: true });
      expect(await things.aggregate([{ $match: { _id: { $in: [ids[1], undefined] } } }, { $count: "n" }]).toArray()).toEqual([{ n: 1 }]);
    });
  });

  describe("transactions", () => {
    it("commit together, or roll back together when the work fails", async () => {
      await store.transaction(async (session) => {
        await session.collection("things").insertOne({ _id: "t1" });
        await session.collection("things").insertOne({ _id: "t2" });
      });
      await expect(
        store.transaction(async (session) => {
          await session.collection("things").insertOne({ _id: "t3" });
          await session.collection("things").insertOne({ _id: "t1" });
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      const ids = (await things.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(ids).toEqual(engine.name === "mongodb" && !(await supportsTransactions(store)) ? ["t1", "t2", "t3"] : ["t1", "t2"]);
    });

    it("keep concurrent units apart: a failing one rolls back alone, readers see only finished ones", async () => {
      const unit = (id: string, fail: boolean) =>
        store.transaction(async (session) => {
          await session.collection("things").insertOne({ _id: `${id}-a` });
          await session.collection("things").updateOne({ _id: "counter" }, { $inc: { n: 1 } }, { upsert: true });
          if (fail) await session.collection("things").insertOne({ _id: `${id}-a` });
          return id;
        });
      const outcomes = await Promise.allSettled([unit("c1", false), unit("c2", true), unit("c3", false), things.countDocuments({ _id: /^c\d-a$/ }), unit("c4", false)]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      // The read was issued after c1..c3 and before c4: it sees the two that succeeded, nothing half-done.
      if (engine.name === "embedded") expect((outcomes[3] as PromiseFulfilledResult<number>).value).toBe(2);
      const ids = (await things.find({ _id: /^c\d-a$/ }, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      const rolledBack = engine.name === "embedded" || (await supportsTransactions(store));
      expect(ids).toEqual(rolledBack ? ["c1-a", "c3-a", "c4-a"] : ["c1-a", "c2-a", "c3-a", "c4-a"]);
      expect((await things.findOne({ _id: "counter" }))?.n).toBe(rolledBack ? 3 : 4);
    });
  });

  describe("streaming", () => {
    it("streams 100,000 documents without holding them all in memory", async () => {
      const big = store.collection("big");
      await big.deleteMany({});
      const batch: Doc[] = [];
      for (let i = 0; i < 100_000; i++) {
        batch.push({ i, text: `learner sentence number ${i} with some padding to make it realistic`, score: i % 100 });
        if (batch.length === 10_000) await big.insertMany(batch.splice(0));
      }
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const baseline = process.memoryUsage().heapUsed;
      let count = 0;
      let sum = 0;
      let peakRetained = 0;
      for await (const doc of big.find({}, { projection: { i: 1 } })) {
        count++;
        sum += doc.i as number;
        if (gc && count % 20_000 === 0) {
          gc();
          peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - baseline);
        }
      }
      expect(count).toBe(100_000);
      expect(sum).toBe((99_999 * 100_000) / 2);
      expect(gc, "vitest runs with --expose-gc").toBeDefined();
      expect(peakRetained).toBeLessThan(16 * 1024 * 1024);
      await big.deleteMany({});
    });
  });

  describe("retention", () => {
    it("declares a TTL index that spares training examples", async () => {
      const indexes = await store.collection(COLLECTIONS.interactions).listIndexes();
      const ttl = indexes.find((index) => index.name === RETENTION_INDEX);
      expect(ttl).toMatchObject({ keys: { indexed_at: 1 }, expireAfterSeconds: 90 * 86_400, partialFilterExpression: { in_training_queue: false } });
    });

    it.runIf(engine.name === "embedded")("sweeps expired interactions but never training examples", async () => {
      const interactions = store.collection(COLLECTIONS.interactions);
      const old = new Date(Date.now() - 91 * 86_400_000);
      await interactions.insertMany([
        { _id: "old", indexed_at: old, in_training_queue: false },
        { _id: "old-example", indexed_at: old, in_training_queue: true },
        { _id: "fresh", indexed_at: new Date(), in_training_queue: false },
      ]);
      expect(await store.sweepExpired()).toBe(1);
      const ids = (await interactions.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(ids).toEqual(["fresh", "old-example"]);
      await interactions.deleteMany({});
    });

    it("keeps everything when retention is 0", async () => {
      const keeper = await engine.open({ retentionDays: 0 });
      try {
        const names = (await keeper.collection(COLLECTIONS.interactions).listIndexes()).map((index) => index.name);
        expect(names).not.toContain(RETENTION_INDEX);
      } finally {
        await keeper.close();
      }
    });
  });
});

/**
 * Rules a real MongoDB server enforces and the embedded engine must match (issue 12): each case
 * runs on the embedded engine always and on MongoDB when MONGODB_URI is set. Cases that need a
 * replica set or server test commands skip with the reason printed.
 */
describe.each(engines)("MongoDB's rules on both engines: $name", (engine) => {
  let store: Store;
  let things: Collection;
  const onMongo = engine.name === "mongodb";
  const unlessMongo = (what: string) => {
    const reason = `${what}: MongoDB only, skipped on the ${engine.name} engine`;
    console.log(`[lexi tests] ${reason}`);
    return reason;
  };

  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(async () => {
    await store.close();
    await engine.dropAll();
  });
  beforeEach(async () => {
    things = store.collection("rules");
    await things.deleteMany({});
    for (const name of [COLLECTIONS.interactions, COLLECTIONS.queue]) await store.collection(name).deleteMany({});
  });

  const ids = (docs: Doc[]) => docs.map((doc) => doc._id);

  describe("ties", () => {
    it("pages equal sort keys in _id order: limit 2 twice", async () => {
      await things.insertMany(["t4", "t2", "t3", "t1"].map((_id) => ({ _id, k: 1 })));
      const page = (skip: number) => things.find({}, { sort: { k: 1, _id: 1 }, skip, limit: 2 }).toArray();
      expect(ids(await page(0))).toEqual(["t1", "t2"]);
      expect(ids(await page(2))).toEqual(["t3", "t4"]);
    });

    it("lists the queue and interactions deterministically when their sort keys tie", async () => {
      const at = new Date("2026-02-01T00:00:00Z");
      const queueIds = ["q4", "q3", "q2", "q1"];
      await store.collection(COLLECTIONS.queue).insertMany(
        queueIds.map((_id, i) => ({ _id, source_interaction_id: `i${i}`, quality_score: 0.9, created_at: at, status: "pending", validated: false, task_types: ["grammar"] })),
      );
      expect(ids(await listQueue(store, { limit: 2 }))).toEqual(["q1", "q2"]);
      await store.collection(COLLECTIONS.interactions).insertMany(["i1", "i3", "i2"].map((_id) => ({ _id, user_id: "u", timestamp: at, flagged_for_review: false })));
      expect(ids(await listInteractions(store, { user_id: "u", limit: 2 }))).toEqual(["i3", "i2"]);
    });
  });

  describe("time zones", () => {
    beforeEach(async () => {
      await logInteraction(store, interaction({ timestamp: "2026-01-01T20:00:00Z" }), { now: new Date("2026-01-01T20:00:00Z") });
    });
    const days = async (tz: string) => {
      const result = await analytics(store, { metric: "fluency", group_by: "day", tz });
      return { tz: result.tz, days: result.data.map((row) => row.group) };
    };

    it("answers every spelling of a zone as its tz-database name", async () => {
      expect(await days("asia/ho_chi_minh")).toEqual({ tz: "Asia/Ho_Chi_Minh", days: ["2026-01-02"] });
      expect(await days("UCT")).toEqual({ tz: "UTC", days: ["2026-01-01"] });
      expect(await days("Etc/GMT-7")).toEqual({ tz: "+07:00", days: ["2026-01-02"] });
      expect(await days("-0500")).toEqual({ tz: "-05:00", days: ["2026-01-01"] });
      await expect(days("Mars/Olympus")).rejects.toBeInstanceOf(InvalidInputError);
    });

    it("maps MongoDB's unknown-zone error (40485) to invalid input", async (context) => {
      if (!onMongo) return context.skip(unlessMongo("error 40485"));
      const wrongCase = [{ $project: { d: { $dateToString: { date: "$timestamp", timezone: "asia/ho_chi_minh" } } } }];
      await expect(store.collection(COLLECTIONS.interactions).aggregate(wrongCase).toArray()).rejects.toBeInstanceOf(InvalidInputError);
    });
  });

  describe("document size", () => {
    it("refuses a 17 MiB interaction with invalid input and writes nothing", async () => {
      const huge = interaction({ user_input: { text: "I goes", audio_features: { samples: "x".repeat(17 * 1024 * 1024) } } });
      await expect(logInteraction(store, huge)).rejects.toThrow(/MiB once encoded/);
      await expect(logInteraction(store, huge)).rejects.toBeInstanceOf(InvalidInputError);
      expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
      expect(await store.collection(COLLECTIONS.queue).countDocuments()).toBe(0);
    });

    it("counts what MongoDB would store, not what toJSON shows: a hidden 17 MiB field is refused too", async () => {
      // The embedded codec writes what toJSON gives, MongoDB's driver ignores toJSON: only a
      // count of the value itself refuses it alike on both engines.
      const hidden = interaction({ user_input: { text: "I goes", audio_features: { toJSON: () => 0, samples: "x".repeat(17 * 1024 * 1024) } } });
      await expect(logInteraction(store, hidden)).rejects.toThrow(/MiB once encoded/);
      expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
    });

    it("refuses to store a 17 MiB document, inserted or grown by an update, with invalid input", async () => {
      const blob = "x".repeat(17 * 1024 * 1024);
      await expect(things.insertOne({ blob })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(things.insertMany([{ _id: "small" }, { _id: "big", blob }])).rejects.toBeInstanceOf(InvalidInputError);
      expect(await things.countDocuments()).toBe(0);
      await things.insertOne({ _id: "grows", half: "y".repeat(9 * 1024 * 1024) });
      await expect(things.updateOne({ _id: "grows" }, { $set: { other: "z".repeat(9 * 1024 * 1024) } })).rejects.toBeInstanceOf(InvalidInputError);
      expect(Object.keys((await things.findOne({ _id: "grows" }))!)).toEqual(["_id", "half"]);
      await things.insertOne({ _id: "fits", blob: "x".repeat(15 * 1024 * 1024) });
    });
  });

  describe("comparison and sort order", () => {
    it("sorts mixed types on an indexed field in BSON order: missing and null, numbers, strings, objects, ObjectIds, booleans, dates", async () => {
      // BSON comparison order: null (and missing) < numbers < strings < objects < arrays < binary < ObjectId < boolean < date.
      await things.createIndexes([{ name: "v_1", keys: { v: 1 } }]);
      const oid = new ObjectId("0123456789abcdef01234567");
      await things.insertMany([
        { _id: "m-date", v: new Date("2026-01-01T00:00:00Z") },
        { _id: "m-true", v: true },
        { _id: "m-oid", v: oid },
        { _id: "m-object", v: { a: 1 } },
        { _id: "m-string", v: "b" },
        { _id: "m-num2", v: 2.5 },
        { _id: "m-num1", v: 1 },
        { _id: "m-null", v: null },
        { _id: "m-missing" },
      ]);
      const order = await things.find({}, { sort: { v: 1, _id: 1 } }).toArray();
      expect(ids(order)).toEqual(["m-missing", "m-null", "m-num1", "m-num2", "m-string", "m-object", "m-oid", "m-true", "m-date"]);
      // The index alone answers these (no tie left once null is filtered out).
      const alone = (direction: 1 | -1) => things.find({ v: { $ne: null } }, { sort: { v: direction } }).toArray();
      expect(ids(await alone(1))).toEqual(["m-num1", "m-num2", "m-string", "m-object", "m-oid", "m-true", "m-date"]);
      expect(ids(await alone(-1))).toEqual(["m-date", "m-true", "m-oid", "m-object", "m-string", "m-num2", "m-num1"]);
      expect((await things.findOne({}, { sort: { v: -1 } }))?._id).toBe("m-date");
      await things.dropIndex("v_1");
    });

    it("sorts _ids of any type in BSON order", async () => {
      const oid = new ObjectId("0123456789abcdef01234567");
      await things.insertMany([{ _id: "b" }, { _id: oid }, { _id: "a" }]);
      expect(ids(await things.find({}, { sort: { _id: 1 } }).toArray())).toEqual(["a", "b", oid]);
      await things.insertMany([{ _id: 10 }, { _id: 9 }, { _id: -1.5 }, { _id: true }, { _id: new Date(0) }]);
      expect(ids(await things.find({}, { sort: { _id: 1 } }).toArray())).toEqual([-1.5, 9, 10, "a", "b", oid, true, new Date(0)]);
      expect(ids(await things.find({ _id: { $gte: 9 } }, { sort: { _id: 1 }, limit: 2 }).toArray())).toEqual([9, 10]);
    });

    it("orders ObjectIds by their bytes, dates by time and booleans false first, unindexed and in a pipeline", async () => {
      await things.insertMany([
        { _id: "later-oid", x: new ObjectId("ffffffffffffffffffffffff") },
        { _id: "earlier-oid", x: new ObjectId("000000000000000000000001") },
        { _id: "true", x: true },
        { _id: "false", x: false },
        { _id: "new", x: new Date("2030-01-01T00:00:00Z") },
        { _id: "old", x: new Date("1969-12-31T23:59:59Z") },
        { _id: "empty-array", x: [] },
        { _id: "array", x: [7, 0.5] },
      ]);
      const expected = ["empty-array", "array", "earlier-oid", "later-oid", "false", "true", "old", "new"];
      expect(ids(await things.find({}, { sort: { x: 1 } }).toArray())).toEqual(expected);
      expect(ids(await things.aggregate([{ $sort: { x: -1 } }]).toArray())).toEqual(
        ["new", "old", "true", "false", "later-oid", "earlier-oid", "array", "empty-array"],
      );
      expect(ids(await things.find({ x: { $lt: new Date(0) } }).toArray())).toEqual(["old"]);
      expect(ids(await things.find({ x: { $gt: new ObjectId("000000000000000000000001") } }).toArray())).toEqual(["later-oid"]);
    });

    it("never matches a missing field with $lte on a number, but does with $lte null", async () => {
      // Comparisons only match values of the same type bracket; null in a comparison also matches a missing field.
      await things.createIndexes([{ name: "w_1", keys: { w: 1 } }]);
      await things.insertMany([{ _id: "l1", w: 1 }, { _id: "l2", w: 9 }, { _id: "l3" }, { _id: "l4", w: null }, { _id: "l5", w: "1" }]);
      const match = async (filter: Doc) => ids(await things.find(filter, { sort: { _id: 1 } }).toArray());
      expect(await match({ w: { $lte: 5 } })).toEqual(["l1"]);
      expect(await match({ w: { $lte: null } })).toEqual(["l3", "l4"]);
      expect(await match({ w: { $not: { $gt: 5 } } })).toEqual(["l1", "l3", "l4", "l5"]);
      await things.dropIndex("w_1");
    });

    it("orders strings by UTF-8 bytes on an indexed field, so characters beyond the BMP sort after the rest of the BMP", async () => {
      // Without a collation MongoDB compares strings as their UTF-8 bytes.
      await things.createIndexes([{ name: "s_1", keys: { s: 1 } }]);
      // U+FF61 is EF BD A1 in UTF-8 and U+1F600 is F0 9F 98 80; in UTF-16 the emoji's D83D comes first.
      await things.insertMany([{ _id: "emoji", s: "\u{1F600}" }, { _id: "halfwidth", s: "\uFF61" }, { _id: "ascii", s: "z" }]);
      expect(ids(await things.find({}, { sort: { s: 1 } }).toArray())).toEqual(["ascii", "halfwidth", "emoji"]);
      await things.dropIndex("s_1");
    });

    it("orders and compares strings by UTF-8 bytes without an index too", async () => {
      await things.insertMany([{ _id: "emoji", u: "\u{1F600}" }, { _id: "halfwidth", u: "\uFF61" }, { _id: "ascii", u: "z" }]);
      expect(ids(await things.find({}, { sort: { u: 1 } }).toArray())).toEqual(["ascii", "halfwidth", "emoji"]);
      expect(ids(await things.find({ u: { $gt: "\uFF61" } }).toArray())).toEqual(["emoji"]);
    });
  });

  describe("extended JSON in free-form data", () => {
    it('gives back a raw {"$date": …} or {"$oid": …} subdocument as the object it was', async () => {
      // MongoDB stores field names starting with "$" as data; only a BSON date is a Date.
      const data = {
        at: { $date: "2026-03-04T05:06:07.000Z" },
        id: { $oid: "0123456789abcdef01234567" },
        list: [{ $date: 1767225600000 }, { $$escaped: 1, plain: { $numberLong: "5" } }],
        real: new Date("2026-03-04T05:06:07.000Z"),
      };
      await things.insertOne({ _id: "raw", data });
      expect(await things.findOne({ _id: "raw" })).toEqual({ _id: "raw", data });
      expect(await things.findOne({ _id: "raw" }, { projection: { "data.list": 1 } })).toEqual({ _id: "raw", data: { list: data.list } });
      expect(ids(await things.find({ "data.real": { $lt: new Date("2027-01-01T00:00:00Z") } }).toArray())).toEqual(["raw"]);
    });

    it('stores {"$date": …} inside audio features as a date on both engines', async () => {
      const logged = await logInteraction(store, interaction({ user_input: { text: "I goes", audio_features: { recorded: { $date: "2026-03-04T05:06:07.000Z" }, takes: [{ $date: 1767225600000 }] } } }));
      const stored = await store.collection(COLLECTIONS.interactions).findOne({ _id: new ObjectId(logged.interaction_id) });
      const features = (stored?.user_input as { audio_features: Doc }).audio_features;
      expect(features.recorded).toEqual(new Date("2026-03-04T05:06:07.000Z"));
      expect(features.takes).toEqual([new Date(1767225600000)]);
      await expect(logInteraction(store, interaction({ user_input: { text: "x", audio_features: { at: { $date: "not a date" } } } }))).rejects.toBeInstanceOf(InvalidInputError);
    });
  });

  describe("indexes and retention", () => {
    it("moves retention from 90 to 30 days in place, with two opens at once", async () => {
      const location = engine.newLocation();
      const first = await openStore(location);
      await first.close();
      const [a, b] = await Promise.all([openStore(location, { retentionDays: 30 }), openStore(location, { retentionDays: 30 })]);
      try {
        const indexes = await a.collection(COLLECTIONS.interactions).listIndexes();
        expect(indexes.filter((index) => index.name === RETENTION_INDEX)).toEqual([
          { name: RETENTION_INDEX, keys: { indexed_at: 1 }, expireAfterSeconds: 30 * 86_400, partialFilterExpression: { in_training_queue: false } },
        ]);
        const names = (await b.collection(COLLECTIONS.queue).listIndexes()).map((index) => index.name);
        expect(names).toEqual(expect.arrayContaining(["status_1_quality_score_-1_created_at_1__id_1", "exports_1"]));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("refuses a retention period MongoDB cannot store, with the range in the message", async () => {
      await expect(engine.open({ retentionDays: 30_000 })).rejects.toThrow(/from 0 \(keep forever\) to 24855/);
    });

    it("drops an index that is already gone without an error", async () => {
      await things.dropIndex("never_created_1");
      await store.collection("no_such_collection").dropIndex("x_1");
    });

    it("estimates a collection's size", async () => {
      await things.insertMany([{ _id: 1 }, { _id: 2 }]);
      expect(await things.estimatedDocumentCount()).toBe(2);
    });
  });

  describe("reads stopped by a signal", () => {
    it("stops a stream, an aggregation and a count once the signal aborts, with the signal's reason", async () => {
      await things.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: i })));
      const abort = new AbortController();
      const reason = new InterruptedError("the client went away");
      let read = 0;
      const drain = async () => {
        for await (const _ of things.find({}, { signal: abort.signal })) if (++read === 1) abort.abort(reason);
      };
      await expect(drain()).rejects.toBe(reason);
      expect(read).toBeLessThan(1000);
      await expect(things.aggregate([{ $match: {} }], { signal: abort.signal }).toArray()).rejects.toBe(reason);
      await expect(things.countDocuments({}, { signal: abort.signal })).rejects.toBe(reason);
      await expect(things.findOne({}, { signal: abort.signal })).rejects.toBe(reason);
      expect(await things.countDocuments()).toBe(1000);
    });
  });

  describe("cursors and transactions on a server", () => {
    it("closes the server cursor when a stream stops early", async (context) => {
      if (!onMongo) return context.skip(unlessMongo("$currentOp idle cursors"));
      await things.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i })));
      const client = await adminClient();
      try {
        const namespace = `${(await dbNameOf(store))}.rules`;
        const idle = async () => (await client.db("admin").aggregate([{ $currentOp: { idleCursors: true } }, { $match: { type: "idleCursor", ns: namespace } }]).toArray()).length;
        const iterator = things.find({})[Symbol.asyncIterator]();
        await iterator.next();
        expect(await idle()).toBe(1); // the first batch (101) is read, the cursor waits on the server
        await iterator.return?.();
        expect(await idle()).toBe(0);
        for await (const _ of things.find({})) break;
        expect(await idle()).toBe(0);
      } finally {
        await client.close();
      }
    });

    it("retries a unit of work hit by a TransientTransactionError (failCommand fail point)", async (context) => {
      if (!onMongo) return context.skip(unlessMongo("failCommand fail point"));
      if (!(await supportsTransactions(store))) return context.skip("failCommand retry: the server is standalone, transactions need a replica set");
      const client = await adminClient();
      try {
        const failPoint = { configureFailPoint: "failCommand", mode: { times: 1 }, data: { failCommands: ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"] } };
        const armed = await client.db("admin").command(failPoint).then(() => true, () => false);
        if (!armed) return context.skip("failCommand retry: the server does not allow test commands (start mongod with --setParameter enableTestCommands=1)");
        let attempts = 0;
        await store.transaction(async (session) => {
          attempts++;
          await session.collection("rules").insertOne({ _id: "after-election" });
        });
        expect(attempts).toBe(2);
        expect(await things.countDocuments({ _id: "after-election" })).toBe(1);
      } finally {
        await client.db("admin").command({ configureFailPoint: "failCommand", mode: "off" }).catch(() => undefined);
        await client.close();
      }
    });

    it("refuses a standalone server unless the user opts in", async (context) => {
      if (!onMongo) return context.skip(unlessMongo("standalone refusal"));
      if (await supportsTransactions(store)) return context.skip("standalone refusal: MONGODB_URI is a replica set or cluster (the refusal's wording is tested in test/store/mongo-deployment.test.ts)");
      await expect(openStore(engine.newLocation(), { allowStandalone: false })).rejects.toThrow(/rs\.initiate/);
      const allowed = await openStore(engine.newLocation(), { allowStandalone: true });
      await allowed.close();
    });
  });
});

describe("error mapping without a server", () => {
  it("reports a closed port as store unavailable, with the password masked", async () => {
    const error = await openStore("mongodb://lexi:s3cret@127.0.0.1:1/lexi?serverSelectionTimeoutMS=300").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(String((error as Error).message)).not.toContain("s3cret");
  });
});

/** A valid interaction, or (with overrides) a deliberately odd one for the engine's own tests. */
function interaction(overrides: Doc = {}): Doc & InteractionInput {
  return <Doc & InteractionInput>{
    session_id: "s1",
    user_id: "u1",
    user_input: { text: "I goes to school" },
    analysis: { fluency_score: 0.8, vocabulary_level: "B1", grammar_errors: [{ type: "verb_tense", error: "goes", correction: "go" }], tutor_response: "I go to school." },
    ...overrides,
  };
}

async function adminClient(): Promise<import("mongodb").MongoClient> {
  const { MongoClient } = await import("mongodb");
  return new MongoClient(mongoUri!).connect();
}

async function dbNameOf(store: Store): Promise<string> {
  return (store as unknown as { db: { databaseName: string } }).db.databaseName;
}

async function supportsTransactions(store: Store): Promise<boolean> {
  return (store as unknown as { supportsTransactions?: boolean }).supportsTransactions ?? false;
}

describe.each(engines)("unique indexes and missing keys: $name", (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it("refuses a second document without the key: MongoDB indexes a missing key as null", async () => {
    const codes = store.collection("unique_missing_codes");
    await codes.createIndexes([{ name: "code_1", keys: { code: 1 }, unique: true }]);
    await codes.insertOne({ _id: "first" });
    await expect(codes.insertOne({ _id: "second" })).rejects.toBeInstanceOf(ConflictError);
    await expect(codes.insertOne({ _id: "null", code: null })).rejects.toBeInstanceOf(ConflictError);
    await codes.insertOne({ _id: "coded", code: "x" });
    await expect(codes.updateOne({ _id: "coded" }, { $unset: { code: "" } })).rejects.toBeInstanceOf(ConflictError);
    const skipped = await codes.insertMany([{ _id: "third" }, { _id: "other", code: "y" }], { ordered: false });
    expect(skipped).toEqual({ insertedCount: 1, duplicateIndexes: [0] });
    expect((await codes.find({}, { sort: { _id: 1 } }).toArray()).map((doc) => doc._id)).toEqual(["coded", "first", "other"]);
  });

  it("compares compound keys part by part, a missing part equal to null", async () => {
    const pairs = store.collection("unique_missing_pairs");
    await pairs.createIndexes([{ name: "a_1_b_1", keys: { a: 1, b: 1 }, unique: true }]);
    await pairs.insertMany([{ _id: 1, a: 1 }, { _id: 2, a: 2 }, { _id: 3, a: 1, b: 1 }]);
    await expect(pairs.insertOne({ _id: 4, a: 1, b: null })).rejects.toBeInstanceOf(ConflictError);
    await expect(pairs.insertOne({ _id: 5, b: 1, c: 0 })).resolves.toBeDefined();
    await expect(pairs.insertOne({ _id: 6, b: 1 })).rejects.toBeInstanceOf(ConflictError);
    expect(await pairs.countDocuments()).toBe(4);
  });
});

/** Runs last: every other block of this file has closed its stores by now. */
describe.each(engines)("test databases dropped afterwards: $name", (engine) => {
  it("removes every database (or file) the engine case created", async () => {
    const location = engine.newLocation();
    const store = await openStore(location);
    await store.collection("dropped").insertOne({ _id: "x" });
    await store.close();
    await engine.dropAll();
    if (engine.name === "embedded") {
      expect(existsSync(location)).toBe(false);
      return;
    }
    const client = await adminClient();
    try {
      const { databases } = await client.db("admin").admin().listDatabases({ nameOnly: true });
      const name = location.split("?")[0]!.split("/").pop();
      expect(databases.map((database) => database.name)).not.toContain(name);
    } finally {
      await client.close();
    }
  });
});
