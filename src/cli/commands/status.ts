/**
 * `lexi status`: which engine, where (password masked), and how many documents per collection.
 */
import { storeStatus, type StoreStatus } from "../../services/store-info.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";

export function renderStatus(result: StoreStatus): string {
  return `${result.engine} store at ${result.location}\n${renderTable(
    ["collection", "documents"],
    result.collections.map((c) => [c.name, c.count]),
  )}`;
}

export const status = defineCommand({
  run: ({ store }) => storeStatus(store),
  render: renderStatus,
});
