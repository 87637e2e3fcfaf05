/**
 * lexi as a library: open a store, then call the services.
 *
 * @example
 * import { openStore } from "lexi";
 * const store = await openStore(".lexi/lexi.db");
 */
export { openStore, ensureCollections, type OpenStoreOptions } from "./store/open-store.js";
export { parseLocation, maskSecrets, DEFAULT_DB_PATH } from "./store/location.js";
export { COLLECTIONS, INDEXES, DEFAULT_RETENTION_DAYS, type CollectionName } from "./store/collections.js";
export type * from "./store/store.js";
export * from "./errors.js";
