/**
 * `lexi init`: creates the collections and their indexes (idempotent) and shows them.
 */
import { storeIndexes, type StoreIndexes } from "../../services/store-info.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";

export function renderInit(result: StoreIndexes): string {
  const rows = result.collections.flatMap((collection) =>
    collection.indexes.map((index) => [
      collection.name,
      index.name,
      Object.entries(index.keys).map(([key, dir]) => `${key}${dir === -1 ? " ↓" : ""}`).join(", "),
      [index.unique ? "unique" : "", index.ttl !== undefined ? `ttl ${Math.round(index.ttl / 86_400)}d` : ""].filter(Boolean).join(" "),
    ]),
  );
  return `Initialized ${result.engine} store at ${result.location}\n${renderTable(["collection", "index", "keys", "options"], rows)}`;
}

/** Opening the store already creates the indexes; this reads back what exists. */
export const init = defineCommand({
  store: "create-quietly",
  run: ({ store }) => storeIndexes(store),
  render: renderInit,
});
