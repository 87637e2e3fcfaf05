/**
 * The embedded engine: documents in a local SQLite file (WAL), MongoDB semantics from mingo.
 * Several processes may use the same file at once.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { COLLECTIONS, expiredFilter } from "../collections.js";
import type { Collection, Doc, Store, StoreSession } from "../store.js";
import { EmbeddedCollection } from "./embedded-collection.js";
import { EmbeddedEngine } from "./embedded-engine.js";

/** Opening a store sweeps expired interactions at most this often (`lexi serve` sweeps hourly too). */
const SWEEP_INTERVAL_MS = 3_600_000;
const LAST_SWEEP = "last_retention_sweep";

export interface EmbeddedStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  retentionDays: number;
}

export class EmbeddedStore implements Store {
  readonly backend = "embedded" as const;
  readonly location: string;
  private readonly engine: EmbeddedEngine;
  private readonly collections = new Map<string, EmbeddedCollection>();
  /** Collections bound to a running transaction; reused so their prepared statements are too. */
  private readonly sessionCollections = new Map<string, EmbeddedCollection>();
  private readonly retentionDays: number;

  constructor(options: EmbeddedStoreOptions) {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    this.engine = new EmbeddedEngine(options.path);
    this.location = options.path;
    this.retentionDays = options.retentionDays;
  }

  collection<T extends Doc = Doc>(name: string): Collection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new EmbeddedCollection(this.engine, name, false);
      this.collections.set(name, collection);
    }
    return collection as unknown as Collection<T>;
  }

  async transaction<R>(work: (session: StoreSession) => Promise<R>): Promise<R> {
    const session: StoreSession = {
      collection: <T extends Doc = Doc>(name: string) => {
        let collection = this.sessionCollections.get(name);
        if (!collection) {
          collection = new EmbeddedCollection(this.engine, name, true);
          this.sessionCollections.set(name, collection);
        }
        return collection as unknown as Collection<T>;
      },
    };
    return this.engine.transaction(() => work(session));
  }

  async sweepExpired(now = new Date()): Promise<number> {
    if (this.retentionDays <= 0) return 0;
    const interactions = this.collection(COLLECTIONS.interactions);
    const { deletedCount } = await interactions.deleteMany(expiredFilter(this.retentionDays, now));
    await this.engine.exclusive(false, () => this.engine.catalog.setSetting(LAST_SWEEP, String(now.getTime())));
    return deletedCount;
  }

  /**
   * The sweep on open: only when the last one (recorded in the store) is an interval old, so that
   * opening an unchanged store writes nothing; a read-only store is never swept.
   */
  async sweepIfDue(now = new Date()): Promise<number> {
    if (this.retentionDays <= 0 || this.engine.readOnly) return 0;
    const last = Number(await this.engine.exclusive(false, () => this.engine.catalog.getSetting(LAST_SWEEP) ?? 0));
    if (last <= now.getTime() && now.getTime() - last < SWEEP_INTERVAL_MS) return 0;
    return this.sweepExpired(now);
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}
