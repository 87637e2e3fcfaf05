/**
 * Brings a MongoDB collection's indexes to the declared ones with as few commands as possible:
 * one `listIndexes`, then only what differs — a single `createIndexes` for everything missing,
 * `collMod` for a changed TTL period (no drop, so no window without the index), and a drop only
 * when an index of that name has other keys or options.
 */
import type { Collection as DriverCollection, Document, IndexDescription } from "mongodb";
import type { IndexSpec } from "../store.js";
import { hasCode, SERVER_CODES } from "./mongo-errors.js";

export async function ensureIndexes(collection: DriverCollection<Document>, specs: IndexSpec[]): Promise<void> {
  try {
    await reconcile(collection, specs);
  } catch (error) {
    // Another process created an index of the same name with other options or keys between our
    // listIndexes and createIndexes (two opens with different retention): look again, once.
    if (!hasCode(error, SERVER_CODES.indexOptionsConflict) && !hasCode(error, SERVER_CODES.indexKeySpecsConflict)) throw error;
    await reconcile(collection, specs);
  }
}

async function reconcile(collection: DriverCollection<Document>, specs: IndexSpec[]): Promise<void> {
  const existing = new Map((await listedIndexes(collection)).map((index) => [String(index.name), index]));
  const missing: IndexSpec[] = [];
  for (const spec of specs) {
    const found = existing.get(spec.name);
    if (!found) {
      missing.push(spec);
    } else if (!sameDefinition(found, spec)) {
      await dropIfPresent(collection, spec.name);
      missing.push(spec);
    } else if (spec.expireAfterSeconds !== undefined && Number(found.expireAfterSeconds) !== spec.expireAfterSeconds) {
      // collMod changes a TTL index's expireAfterSeconds in place.
      await collection.db.command({ collMod: collection.collectionName, index: { name: spec.name, expireAfterSeconds: spec.expireAfterSeconds } });
    }
  }
  if (missing.length > 0) await collection.createIndexes(missing.map(toDescription));
}

async function listedIndexes(collection: DriverCollection<Document>): Promise<Document[]> {
  try {
    return await collection.listIndexes().toArray();
  } catch (error) {
    if (hasCode(error, SERVER_CODES.namespaceNotFound)) return []; // no collection yet: createIndexes makes it
    throw error;
  }
}

async function dropIfPresent(collection: DriverCollection<Document>, name: string): Promise<void> {
  try {
    await collection.dropIndex(name);
  } catch (error) {
    if (!hasCode(error, SERVER_CODES.indexNotFound)) throw error;
  }
}

/** Same keys in the same order, same uniqueness, same partial filter, TTL or not (its period may differ). */
function sameDefinition(found: Document, spec: IndexSpec): boolean {
  return (
    JSON.stringify(Object.entries(found.key ?? {}).map(([k, v]) => [k, Number(v)])) === JSON.stringify(Object.entries(spec.keys)) &&
    Boolean(found.unique) === Boolean(spec.unique) &&
    JSON.stringify(found.partialFilterExpression ?? null) === JSON.stringify(spec.partialFilterExpression ?? null) &&
    (found.expireAfterSeconds === undefined) === (spec.expireAfterSeconds === undefined)
  );
}

function toDescription(spec: IndexSpec): IndexDescription {
  return {
    key: spec.keys,
    name: spec.name,
    ...(spec.unique ? { unique: true } : {}),
    ...(spec.expireAfterSeconds !== undefined ? { expireAfterSeconds: spec.expireAfterSeconds } : {}),
    ...(spec.partialFilterExpression ? { partialFilterExpression: spec.partialFilterExpression } : {}),
  };
}
