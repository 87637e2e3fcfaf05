/**
 * The MongoDB engine: the official driver, any deployment it reaches. Transactions run where the
 * deployment supports them (replica sets, sharded clusters); a standalone server runs the same
 * writes one by one.
 */
import { MongoClient, type Db } from "mongodb";
import type { Collection, Doc, Store, StoreSession } from "../store.js";
import { maskSecrets } from "../location.js";
import { MongoCollection } from "./mongo-collection.js";
import { wrapMongoError } from "./mongo-errors.js";

export const DEFAULT_DATABASE = "lexilingo";
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

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
    uri: string,
  ) {
    this.location = maskSecrets(uri);
  }

  static async connect(uri: string): Promise<MongoStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS, ignoreUndefined: true });
    try {
      await client.connect();
      const db = client.db(databaseName(uri));
      const hello = await db.admin().command({ hello: 1 });
      const supportsTransactions = Boolean(hello.setName) || hello.msg === "isdbgrid";
      return new MongoStore(client, db, supportsTransactions, uri);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw wrapMongoError(error, "connecting");
    }
  }

  collection<T extends Doc = Doc>(name: string): Collection<T> {
    return new MongoCollection<T>(this.db.collection(name));
  }

  async transaction<R>(work: (session: StoreSession) => Promise<R>): Promise<R> {
    if (!this.supportsTransactions) return work(this);
    return this.client.withSession((session) =>
      session.withTransaction(() => work({ collection: <T extends Doc>(name: string) => new MongoCollection<T>(this.db.collection(name), session) })),
    );
  }

  /** MongoDB's TTL monitor deletes expired interactions by itself. */
  async sweepExpired(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
