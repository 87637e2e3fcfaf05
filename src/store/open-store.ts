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
  /** MongoDB only: a time limit for each query, so a slow one ends as "store unavailable". */
  queryTimeoutMs?: number;
  /** MongoDB only: accept a standalone server (no transactions). Default: LEXI_MONGO_ALLOW_STANDALONE. */
  allowStandalone?: boolean;
}

/**
 * MongoDB's TTL indexes take expireAfterSeconds in 0..2147483647 (a 32-bit int), so retention
 * stops at 24,855 days (68 years); more would make every open fail.
 */
export const MAX_RETENTION_DAYS = Math.floor(2_147_483_647 / 86_400);

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
  const retentionDays = checkRetention(options.retentionDays ?? retentionFromEnv() ?? DEFAULT_RETENTION_DAYS, "the retention period");
  const location = parseLocation(uri);
  let store: Store;
  // MongoDB's TTL monitor expires documents by itself; the embedded store sweeps when one is due.
  let sweep = async (): Promise<unknown> => undefined;
  if (location.kind === "mongodb") {
    const [{ MongoStore }, { standaloneAllowedByEnv }] = await Promise.all([import("./mongo/mongo-store.js"), import("./mongo/deployment.js")]);
    store = await MongoStore.connect(location.uri, {
      queryTimeoutMs: options.queryTimeoutMs,
      allowStandalone: options.allowStandalone ?? standaloneAllowedByEnv(),
    });
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
  return checkRetention(Number(raw), "LEXI_RETENTION_DAYS", raw);
}

function checkRetention(days: number, what: string, raw: unknown = days): number {
  if (!Number.isFinite(days) || days < 0 || days > MAX_RETENTION_DAYS) {
    throw new InvalidInputError(`${what} must be a number of days from 0 (keep forever) to ${MAX_RETENTION_DAYS}; got "${String(raw)}"`);
  }
  return days;
}
