/**
 * Runs a long write (an import, a seed) so that it lands whole or not at all.
 *
 * - `transaction` (the embedded engine): one SQLite transaction; a failure, an interrupt or a
 *   killed process leaves the store as it was.
 * - `tagged` (MongoDB, where one transaction cannot hold millions of documents): every document
 *   the run inserts or upserts carries `_import: <run id>`, and the run is recorded in
 *   `import_runs`. Success removes the tags; a failure or an interrupt deletes the tagged
 *   documents; a run whose process died is cleaned up by the next run (`removeAbandonedRuns`).
 *   Changes to documents that existed before (feedback replacing an earlier verdict) are kept.
 */
import { ObjectId } from "bson";
import type { Collection, Doc, Store, StoreSession, Update, UpdateOptions } from "../../store/store.js";
import { COLLECTIONS } from "../../store/collections.js";
import { Interruptible } from "./interruptible.js";

export type Atomicity = "transaction" | "tagged";
export const IMPORT_RUNS = "import_runs";
export const RUN_TAG = "_import";
/** A run not heard from for this long belongs to a process that died. */
const ABANDONED_AFTER_MS = 10 * 60_000;

export function defaultAtomicity(store: Store): Atomicity {
  return store.backend === "embedded" ? "transaction" : "tagged";
}

export interface AtomicRunOptions {
  atomicity?: Atomicity;
  interrupt?: Interruptible;
}

/** `work` gets a store whose writes belong to the run; nested transactions join the run. */
export async function atomically<R>(store: Store, work: (run: Store) => Promise<R>, options: AtomicRunOptions = {}): Promise<R> {
  const atomicity = options.atomicity ?? defaultAtomicity(store);
  if (atomicity === "transaction") return store.transaction((session) => work(joined(store, session, options.interrupt)));
  return taggedRun(store, work, options.interrupt);
}

/** A store view of one open transaction: `transaction()` runs inside it instead of opening another. */
export function joined(store: Store, session: StoreSession, interrupt?: Interruptible): Store {
  return {
    backend: store.backend,
    location: store.location,
    collection: (name) => session.collection(name),
    transaction: async (work) => {
      await interrupt?.checkpoint();
      return work(session);
    },
    sweepExpired: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}

async function taggedRun<R>(store: Store, work: (run: Store) => Promise<R>, interrupt?: Interruptible): Promise<R> {
  await removeAbandonedRuns(store);
  const runId = new ObjectId().toHexString();
  const runs = store.collection(IMPORT_RUNS);
  const touched = new Set<string>();
  const heartbeat = () => runs.updateOne({ _id: runId }, { $set: { heartbeat: new Date(), collections: [...touched] } });
  await runs.insertOne({ _id: runId, started: new Date(), heartbeat: new Date(), pid: process.pid, collections: [] });
  const tagging =
    (session: StoreSession) =>
    <T extends Doc = Doc>(name: string): Collection<T> => {
      touched.add(name);
      return taggingCollection(session.collection<T>(name), runId);
    };
  const view: Store = {
    backend: store.backend,
    location: store.location,
    collection: tagging(store),
    transaction: async (unit) => {
      await interrupt?.checkpoint();
      const result = await store.transaction((session) => unit({ collection: tagging(session) }));
      await heartbeat();
      return result;
    },
    sweepExpired: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
  let result: R;
  try {
    result = await work(view);
    await heartbeat();
  } catch (error) {
    await undoRun(store, runId, [...touched]);
    throw error;
  }
  for (const name of touched) await store.collection(name).updateMany({ [RUN_TAG]: runId }, { $unset: { [RUN_TAG]: "" } });
  await runs.deleteOne({ _id: runId });
  return result;
}

/** Deletes the run's documents: from every lexi collection, as a run may die before it records where it wrote. */
async function undoRun(store: Store, runId: string, collections: string[]): Promise<void> {
  for (const name of new Set([...Object.values(COLLECTIONS), ...collections])) await store.collection(name).deleteMany({ [RUN_TAG]: runId });
  await store.collection(IMPORT_RUNS).deleteOne({ _id: runId });
}

/** Deletes what runs of dead processes wrote; returns how many runs were undone. */
export async function removeAbandonedRuns(store: Store, now = new Date()): Promise<number> {
  const stale = await store
    .collection<{ _id: string; collections?: string[] } & Doc>(IMPORT_RUNS)
    .find({ heartbeat: { $lt: new Date(now.getTime() - ABANDONED_AFTER_MS) } })
    .toArray();
  for (const run of stale) await undoRun(store, run._id, run.collections ?? []);
  return stale.length;
}

function tag<T extends Doc>(doc: T, runId: string): T {
  return { ...doc, [RUN_TAG]: runId };
}

function tagUpsert(update: Update, runId: string, options?: UpdateOptions): Update {
  if (!options?.upsert || Array.isArray(update)) return update;
  return { ...update, $setOnInsert: { ...((update.$setOnInsert as Doc | undefined) ?? {}), [RUN_TAG]: runId } };
}

/** The collection, with the run's tag on every document it inserts or upserts. */
function taggingCollection<T extends Doc>(collection: Collection<T>, runId: string): Collection<T> {
  return {
    name: collection.name,
    insertOne: (doc) => collection.insertOne(tag(doc, runId)),
    insertMany: (docs, options) => collection.insertMany(docs.map((doc) => tag(doc, runId)), options),
    find: (filter, options) => collection.find(filter, options),
    findOne: (filter, options) => collection.findOne(filter, options),
    updateOne: (filter, update, options) => collection.updateOne(filter, tagUpsert(update, runId, options), options),
    updateMany: (filter, update, options) => collection.updateMany(filter, tagUpsert(update, runId, options), options),
    findOneAndUpdate: (filter, update, options) => collection.findOneAndUpdate(filter, tagUpsert(update, runId, options), options),
    deleteOne: (filter) => collection.deleteOne(filter),
    deleteMany: (filter) => collection.deleteMany(filter),
    countDocuments: (filter) => collection.countDocuments(filter),
    estimatedDocumentCount: () => collection.estimatedDocumentCount(),
    aggregate: (pipeline) => collection.aggregate(pipeline),
    createIndexes: (specs) => collection.createIndexes(specs),
    listIndexes: () => collection.listIndexes(),
    dropIndex: (name) => collection.dropIndex(name),
  };
}
