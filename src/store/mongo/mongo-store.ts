/**
 * The MongoDB engine: the official driver on a replica set or sharded cluster, where every unit
 * of work is a transaction. A standalone server has no transactions, so lexi refuses it unless
 * the user opts in (LEXI_MONGO_ALLOW_STANDALONE=1) and accepts writes that may land half-done.
 */
import { MongoClient, type Db } from "mongodb";
import { StoreUnavailableError } from "../../errors.js";
import type { Collection, Doc, Store, StoreSession } from "../store.js";
import { maskSecrets } from "../location.js";
import { MongoCollection } from "./mongo-collection.js";
import { wrapMongoError } from "./mongo-errors.js";
import { deploymentOf, standaloneRefusal } from "./deployment.js";

export const DEFAULT_DATABASE = "lexilingo";
/**
 * How long opening may wait for a server. Only the first connection gets this short limit: later
 * operations keep the driver's serverSelectionTimeoutMS (30 s), long enough to ride out a
 * replica-set election (~12 s) instead of failing in the middle of one.
 */
const CONNECT_TIMEOUT_MS = 5_000;

export interface MongoStoreOptions {
  /** A time limit for each query (the driver's `timeoutMS`); `lexi serve` sets one. */
  queryTimeoutMs?: number;
  /** Accept a standalone server (writes then run without transactions). */
  allowStandalone?: boolean;
}

/** The database named in the URI's path, else lexilingo. */
export function databaseName(uri: string): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/i.exec(uri)?.[1];
  return path ? decodeURIComponent(path) : DEFAULT_DATABASE;
}

export class MongoStore implements Store {
  readonly backend = "mongodb" as const;
  readonly location: string;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly supportsTransactions: boolean,
    private readonly queryTimeoutMs: number | undefined,
    uri: string,
  ) {
    this.location = maskSecrets(uri);
  }

  static async connect(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    const client = new MongoClient(uri, { ignoreUndefined: true });
    try {
      await withinConnectTimeout(client.connect());
      const db = client.db(databaseName(uri));
      const deployment = deploymentOf(await db.admin().command({ hello: 1 }));
      if (deployment === "standalone" && !options.allowStandalone) throw standaloneRefusal(maskSecrets(uri));
      return new MongoStore(client, db, deployment !== "standalone", options.queryTimeoutMs, uri);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw wrapMongoError(error, "connecting");
    }
  }

  collection<T extends Doc = Doc>(name: string): Collection<T> {
    return new MongoCollection<T>(this.db.collection(name), { timeoutMS: this.queryTimeoutMs });
  }

  /**
   * Runs `work` in a transaction. Errors inside stay the driver's own so `withTransaction` can
   * retry the unit on TransientTransactionError and the commit on UnknownTransactionCommitResult
   * (it gives up after 120 s, or after `timeoutMS`); they are mapped once, here, commit errors
   * included.
   */
  async transaction<R>(work: (session: StoreSession) => Promise<R>): Promise<R> {
    if (!this.supportsTransactions) return work(this);
    const sessionOptions = this.queryTimeoutMs === undefined ? {} : { defaultTimeoutMS: this.queryTimeoutMs };
    try {
      return await this.client.withSession(sessionOptions, (session) =>
        session.withTransaction(() => work({ collection: <T extends Doc>(name: string) => new MongoCollection<T>(this.db.collection(name), { session }) })),
      );
    } catch (error) {
      throw wrapMongoError(error, "a transaction");
    }
  }

  /** MongoDB's TTL monitor deletes expired interactions by itself. */
  async sweepExpired(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

async function withinConnectTimeout(connecting: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`MongoDB is unreachable: no server answered within ${CONNECT_TIMEOUT_MS / 1000} s of connecting`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([connecting, deadline]);
  } finally {
    clearTimeout(timer);
    connecting.catch(() => undefined); // settled later by close(); nobody waits for it then
  }
}
