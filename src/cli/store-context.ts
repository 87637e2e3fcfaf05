/**
 * How a command finds its store: `--db`, else `LEXI_DB`, else `.lexi/lexi.db` here.
 */
import { DEFAULT_DB_PATH } from "../store/location.js";
import { openStore, type OpenStoreOptions } from "../store/open-store.js";
import type { Store } from "../store/store.js";

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

export function resolveDbUri(options: GlobalOptions): string {
  return options.db || process.env.LEXI_DB || DEFAULT_DB_PATH;
}

/** Opens the store, runs `work` and always closes the store again. */
export async function withStore<R>(options: GlobalOptions, work: (store: Store) => Promise<R>, openOptions: OpenStoreOptions = {}): Promise<R> {
  const store = await openStore(resolveDbUri(options), openOptions);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
