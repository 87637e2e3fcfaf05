/**
 * The one place that knows the concrete engines. Engines load lazily, so a command that never
 * touches the store never pays for mingo or the MongoDB driver.
 */
import { InvalidInputError } from "../errors.js";
import { COLLECTIONS, DEFAULT_RETENTION_DAYS, RETENTION_INDEX, RETIRED_INDEXES, indexesFor } from "./collections.js";
import { parseLocation } from "./location.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  /** Days before an interaction that never became a training example expires; 0 keeps forever. */
  retentionDays?: number;
  /** Create collections and indexes on open (idempotent). Default true. */
  ensureIndexes?: boolean;
}

/**
 * Opens a store: `mongodb://…` or `mongodb+srv://…` → MongoDB; a path or `sqlite:PATH` → the
 * embedded engine; `:memory:` → an embedded store that lives as long as the process.
 *
 * @example
 * const store = await openStore("sqlite:.lexi/lexi.db");
 * const n = await store.collection("ai_interactions").countDocuments();
 * await store.close();
 */
export async function openStore(uri: string, options: OpenStoreOptions = {}): Promise<Store> {
  const retentionDays = options.retentionDays ?? retentionFromEnv() ?? DEFAULT_RETENTION_DAYS;
  const location = parseLocation(uri);
  let store: Store;
  // MongoDB's TTL monitor expires documents by itself; the embedded store sweeps when one is due.
  let sweep = async (): Promise<unknown> => undefined;
  if (location.kind === "mongodb") {
    const { MongoStore } = await import("./mongo/mongo-store.js");
    store = await MongoStore.connect(location.uri);
  } else {
    const { EmbeddedStore } = await import("./embedded/embedded-store.js");
    const embedded = new EmbeddedStore({ path: location.path, retentionDays });
    sweep = () => embedded.sweepIfDue();
    store = embedded;
  }
  try {
    if (options.ensureIndexes ?? true) await ensureCollections(store, retentionDays);
    await sweep();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Creates every collection's indexes; switches the retention index on, off or to a new period. */
export async function ensureCollections(store: Store, retentionDays: number): Promise<void> {
  for (const name of Object.values(COLLECTIONS)) {
    const collection = store.collection(name);
    await collection.createIndexes(indexesFor(name, retentionDays));
    for (const retired of RETIRED_INDEXES[name] ?? []) await collection.dropIndex(retired);
    if (name === COLLECTIONS.interactions && retentionDays <= 0) await collection.dropIndex(RETENTION_INDEX);
  }
}

function retentionFromEnv(): number | undefined {
  const raw = process.env.LEXI_RETENTION_DAYS;
  if (raw === undefined || raw === "") return undefined;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0) {
    throw new InvalidInputError(`LEXI_RETENTION_DAYS must be a number of days ≥ 0 (0 keeps forever); got "${raw}"`);
  }
  return days;
}
