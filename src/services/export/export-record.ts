/**
 * The lineage of an export, kept honest across kills. The record is stored `incomplete` before any
 * work; the used-marks and the finished record are committed together in one transaction once
 * the files exist (state `publishing` while a folder still has to be moved into place, else
 * `complete`). A run that died leaves its record behind; the next run undoes an `incomplete` one
 * (its marks, which a MongoDB server without transactions may have half-written, and its folder)
 * and finishes a `publishing` one. Records of other machines or of live processes are left alone.
 */
import { lstat, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { ConflictError } from "../../errors.js";
import { idCandidates } from "../../schema/common.js";
import type { ExportDoc } from "../../schema/export.js";
import { COLLECTIONS } from "../../store/collections.js";
import type { Store, StoreSession } from "../../store/store.js";
import { publishFolder, pointLatest, removeLeftovers } from "./dataset-folder.js";
import { processAlive } from "./process-alive.js";
import type { ExportedExample } from "./staging.js";

export function owner(): ExportDoc["owner"] {
  return { host: hostname(), pid: process.pid };
}

const exports = (store: StoreSession) => store.collection<ExportDoc>(COLLECTIONS.exports);
const queue = (store: StoreSession) => store.collection(COLLECTIONS.queue);

/**
 * Marks the exported examples and stores the finished record, all or nothing. An example that
 * was unused when read is claimed only if it still is: of two concurrent exports, the later one
 * fails here instead of handing out the same examples.
 */
export async function commitExport(store: Store, record: ExportDoc, examples: () => Iterable<ExportedExample[]>, signal?: AbortSignal): Promise<void> {
  // `examples` is read afresh on each attempt: MongoDB retries a transaction's body on transient errors.
  await store.transaction(async (session) => {
    for (const batch of examples()) {
      // Let a Ctrl-C through between batches: throwing here rolls the transaction back.
      await yieldToEvents();
      signal?.throwIfAborted();
      const fresh = batch.filter((example) => !example.used).flatMap((example) => idCandidates(example.id));
      const reused = batch.filter((example) => example.used).flatMap((example) => idCandidates(example.id));
      const mark = { $set: { used_in_training: true }, $addToSet: { exports: record._id } };
      if (fresh.length) {
        const claimed = await queue(session).updateMany({ _id: { $in: fresh }, used_in_training: { $ne: true } }, mark);
        const wanted = batch.filter((example) => !example.used).length;
        if (claimed.matchedCount < wanted) {
          throw new ConflictError(`${wanted - claimed.matchedCount} of the exported examples were marked as used by another export meanwhile; nothing was kept, run the export again`);
        }
      }
      if (reused.length) await queue(session).updateMany({ _id: { $in: reused } }, mark);
    }
    const { _id, ...fields } = record;
    await exports(session).updateOne({ _id }, { $set: fields });
    if (record.replaces) await exports(session).updateOne({ _id: record.replaces }, { $set: { replaced_by: _id } });
  });
}

/**
 * Moves a committed export's folder into place, points `latest` at it and marks the record
 * complete. When recovering, `latest` moves only if it is missing: a newer export may own it.
 */
export async function publishExport(store: Store, record: ExportDoc, options: { recovering?: boolean } = {}): Promise<void> {
  if (record.folder) {
    await publishFolder(record.folder);
    const root = record.latest_root;
    if (root && (!options.recovering || !(await lstat(join(root, "latest")).then(() => true, () => false)))) await pointLatest(root, basename(record.folder.destination));
  }
  await exports(store).updateOne({ _id: record._id }, { $set: { state: "complete" } });
}

/** Takes back an export that was never committed: its marks, its unfinished folder, its record. */
export async function undoExport(store: Store, record: ExportDoc): Promise<void> {
  if (record.folder) await rm(record.folder.temp, { recursive: true, force: true });
  await queue(store).updateMany({ exports: [record._id] }, { $set: { used_in_training: false, exports: [] } });
  await queue(store).updateMany({ exports: record._id }, { $pull: { exports: record._id } });
  await exports(store).deleteOne({ _id: record._id, state: "incomplete" });
}

/** Finishes or undoes what exports killed on this machine left behind. */
export async function recoverExports(store: Store): Promise<void> {
  const host = hostname();
  const stranded = await exports(store).find({ state: { $in: ["incomplete", "publishing"] }, "owner.host": host }).toArray();
  for (const record of stranded) {
    if (processAlive(record.owner.pid)) continue;
    if (record.state === "incomplete") await undoExport(store, record);
    else await publishExport(store, record, { recovering: true });
    if (record.folder) await removeLeftovers(dirname(record.folder.destination));
  }
}
