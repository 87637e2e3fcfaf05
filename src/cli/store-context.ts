/**
 * How a command finds its store: `--db`, else `LEXI_DB`, else `.lexi/lexi.db` here. Only
 * `lexi init`, `lexi seed` and `--create` make a new embedded store: a mistyped `--db` is an
 * error, not a fresh empty store.
 */
import { existsSync } from "node:fs";
import { StoreUnavailableError } from "../errors.js";
import { DEFAULT_DB_PATH, parseLocation } from "../store/location.js";
import { openStore, type OpenStoreOptions } from "../store/open-store.js";
import type { Store } from "../store/store.js";

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  /** Create the embedded store when its file does not exist; "quietly" when the command's output names it (init). */
  create?: boolean | "quietly";
}

export function resolveDbUri(options: GlobalOptions): string {
  return options.db || process.env.LEXI_DB || DEFAULT_DB_PATH;
}

/** Opens the store, runs `work` and always closes the store again. */
export async function withStore<R>(options: GlobalOptions, work: (store: Store) => Promise<R>, openOptions: OpenStoreOptions = {}): Promise<R> {
  const uri = resolveDbUri(options);
  const location = parseLocation(uri);
  const fresh = location.kind === "embedded" && location.path !== ":memory:" && !existsSync(location.path);
  if (fresh && !options.create) {
    throw new StoreUnavailableError(`no store at ${location.path}: create one with \`lexi init\` (or pass --create), or check --db / LEXI_DB`);
  }
  const store = await openStore(uri, openOptions);
  if (fresh && options.create !== "quietly") process.stderr.write(`lexi: created a new store at ${store.location}\n`);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
