/**
 * What `lexi init`, `lexi status` and `GET /health` say about the store: which engine, where, and
 * what it holds. `engine` is the word the export manifest uses too.
 */
import { COLLECTIONS } from "../store/collections.js";
import type { Store } from "../store/store.js";

export interface StoreIndexes {
  engine: string;
  location: string;
  collections: Array<{
    name: string;
    indexes: Array<{ name: string; keys: Record<string, 1 | -1>; unique?: boolean; ttl?: number }>;
  }>;
}

export interface StoreStatus {
  engine: string;
  location: string;
  collections: Array<{ name: string; count: number }>;
}

/** The collections and their indexes (opening the store already created them). */
export async function storeIndexes(store: Store): Promise<StoreIndexes> {
  const collections = [];
  for (const name of Object.values(COLLECTIONS)) {
    const indexes = await store.collection(name).listIndexes();
    collections.push({
      name,
      indexes: indexes.map((index) => ({
        name: index.name,
        keys: index.keys,
        ...(index.unique ? { unique: true } : {}),
        ...(index.expireAfterSeconds !== undefined ? { ttl: index.expireAfterSeconds } : {}),
      })),
    });
  }
  return { engine: store.backend, location: store.location, collections };
}

/**
 * Documents per collection, from collection metadata: counting every document of a big MongoDB
 * collection is a full scan.
 */
export async function storeStatus(store: Store): Promise<StoreStatus> {
  const collections = [];
  for (const name of Object.values(COLLECTIONS)) {
    collections.push({ name, count: await store.collection(name).estimatedDocumentCount() });
  }
  return { engine: store.backend, location: store.location, collections };
}

/** Reads one document, so a store that does not answer fails here. */
export async function checkStore(store: Store): Promise<{ engine: string }> {
  await store.collection(COLLECTIONS.interactions).findOne({}, { projection: { _id: 1 } });
  return { engine: store.backend };
}
