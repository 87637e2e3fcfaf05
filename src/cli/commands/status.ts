/**
 * `lexi status`: which engine, where (password masked), and how many documents per collection
 * (from collection metadata: counting every document of a big MongoDB collection is a full scan).
 */
import { COLLECTIONS } from "../../store/collections.js";
import type { Store } from "../../store/store.js";
import { renderTable } from "../output/table.js";

export interface StatusResult {
  backend: string;
  location: string;
  collections: Array<{ name: string; count: number }>;
}

export async function status(store: Store): Promise<StatusResult> {
  const collections = [];
  for (const name of Object.values(COLLECTIONS)) {
    collections.push({ name, count: await store.collection(name).estimatedDocumentCount() });
  }
  return { backend: store.backend, location: store.location, collections };
}

export function renderStatus(result: StatusResult): string {
  return `${result.backend} store at ${result.location}\n${renderTable(
    ["collection", "documents"],
    result.collections.map((c) => [c.name, c.count]),
  )}`;
}
