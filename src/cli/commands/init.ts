/**
 * `lexi init`: creates the collections and their indexes (idempotent) and shows them.
 */
import { COLLECTIONS } from "../../store/collections.js";
import type { Store } from "../../store/store.js";
import { renderTable } from "../output/table.js";

export interface InitResult {
  backend: string;
  location: string;
  collections: Array<{
    name: string;
    indexes: Array<{ name: string; keys: Record<string, 1 | -1>; unique?: boolean; ttl?: number }>;
  }>;
}

/** Opening the store already creates the indexes; this reads back what exists. */
export async function init(store: Store): Promise<InitResult> {
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
  return { backend: store.backend, location: store.location, collections };
}

export function renderInit(result: InitResult): string {
  const rows = result.collections.flatMap((collection) =>
    collection.indexes.map((index) => [
      collection.name,
      index.name,
      Object.entries(index.keys).map(([key, dir]) => `${key}${dir === -1 ? " ↓" : ""}`).join(", "),
      [index.unique ? "unique" : "", index.ttl !== undefined ? `ttl ${Math.round(index.ttl / 86_400)}d` : ""].filter(Boolean).join(" "),
    ]),
  );
  return `Initialized ${result.backend} store at ${result.location}\n${renderTable(["collection", "index", "keys", "options"], rows)}`;
}
