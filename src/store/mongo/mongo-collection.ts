/**
 * The MongoDB engine's collection: the driver's own `Collection`, with errors mapped to lexi's.
 * Keep this thin: every semantic belongs to the server.
 */
import type { AbstractCursor, ClientSession, Collection as DriverCollection, Document, MongoBulkWriteError } from "mongodb";
import { docStream } from "../doc-stream.js";
import type {
  Collection,
  Doc,
  DocStream,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  IndexSpec,
  InsertManyOptions,
  InsertManyResult,
  Pipeline,
  ReadOptions,
  Update,
  UpdateOptions,
  UpdateResult,
} from "../store.js";
import { ensureIndexes } from "./mongo-indexes.js";
import { hasCode, isDuplicateKey, SERVER_CODES, wrapMongoError } from "./mongo-errors.js";

export interface MongoCollectionOptions {
  /**
   * The unit of work's session. Inside it errors pass through unmapped: `withTransaction` retries
   * the whole unit only on a driver error labelled TransientTransactionError, and a lexi error
   * would make it abort instead. The store maps once, outside.
   */
  session?: ClientSession;
  /** A time limit per query (`timeoutMS`, the driver's client-side operation timeout). */
  timeoutMS?: number;
}

export class MongoCollection<T extends Doc = Doc> implements Collection<T> {
  readonly name: string;
  private readonly session?: ClientSession;
  private readonly timeoutMS?: number;

  constructor(
    private readonly driver: DriverCollection<Document>,
    options: MongoCollectionOptions = {},
  ) {
    this.name = driver.collectionName;
    this.session = options.session;
    this.timeoutMS = options.timeoutMS;
  }

  /** Options every operation shares: the session, and the time limit outside transactions. */
  private get common(): { session?: ClientSession; timeoutMS?: number } {
    // Inside a transaction the driver forbids a per-operation timeoutMS; the unit has its own.
    return this.session ? { session: this.session } : this.timeoutMS === undefined ? {} : { timeoutMS: this.timeoutMS };
  }

  private async guard<R>(operation: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      if (this.session) throw error;
      throw wrapMongoError(error, `${operation} on ${this.name}`);
    }
  }

  /** Streams a cursor; a consumer that stops early (`break`, an aborted export) closes it on the server. */
  private streamOf<R>(operation: string, open: () => AbstractCursor<Document>): DocStream<R> {
    const guard = this.guard.bind(this);
    return docStream(async function* () {
      const cursor = open();
      try {
        for (;;) {
          const next = await guard(operation, () => cursor.next());
          if (next === null) return;
          yield next as R;
        }
      } finally {
        // killCursors for a cursor left open; a no-op once it is exhausted.
        await cursor.close().catch(() => undefined);
      }
    });
  }

  /**
   * Each batch of a stream gets the whole time limit (`timeoutMode: "iteration"`): an export may
   * stream for minutes, but no single round trip may hang.
   */
  private get cursorOptions(): { session?: ClientSession; timeoutMS?: number; timeoutMode?: "iteration" } {
    const common = this.common;
    return common.timeoutMS === undefined ? common : { ...common, timeoutMode: "iteration" };
  }

  insertOne(doc: T): Promise<{ insertedId: unknown }> {
    return this.guard("insertOne", async () => {
      const result = await this.driver.insertOne({ ...doc }, this.common);
      return { insertedId: result.insertedId };
    });
  }

  insertMany(docs: T[], options: InsertManyOptions = {}): Promise<InsertManyResult> {
    const ordered = options.ordered ?? true;
    return this.guard("insertMany", async () => {
      if (docs.length === 0) return { insertedCount: 0, duplicateIndexes: [] };
      try {
        const result = await this.driver.insertMany(docs.map((doc) => ({ ...doc })), { ordered, ...this.common });
        return { insertedCount: result.insertedCount, duplicateIndexes: [] };
      } catch (error) {
        const duplicateIndexes = onlyDuplicates(error);
        if (ordered || !duplicateIndexes) throw error;
        return { insertedCount: docs.length - duplicateIndexes.length, duplicateIndexes };
      }
    });
  }

  find(filter: Filter = {}, options: FindOptions = {}): DocStream<T> {
    return this.streamOf("find", () => this.driver.find(filter, { ...options, ...this.cursorOptions }));
  }

  findOne(filter: Filter, options: Omit<FindOptions, "limit"> = {}): Promise<T | null> {
    return this.guard("findOne", async () => (await this.driver.findOne(filter, { ...options, ...this.common })) as T | null);
  }

  updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.guard("updateOne", async () => toUpdateResult(await this.driver.updateOne(filter, update, { ...options, ...this.common })));
  }

  updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.guard("updateMany", async () => toUpdateResult(await this.driver.updateMany(filter, update, { ...options, ...this.common })));
  }

  findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    return this.guard("findOneAndUpdate", async () => {
      const result = await this.driver.findOneAndUpdate(filter, update, { ...options, ...this.common, includeResultMetadata: false });
      return result as T | null;
    });
  }

  deleteOne(filter: Filter): Promise<{ deletedCount: number }> {
    return this.guard("deleteOne", async () => ({ deletedCount: (await this.driver.deleteOne(filter, this.common)).deletedCount }));
  }

  deleteMany(filter: Filter): Promise<{ deletedCount: number }> {
    return this.guard("deleteMany", async () => ({ deletedCount: (await this.driver.deleteMany(filter, this.common)).deletedCount }));
  }

  countDocuments(filter: Filter = {}, options: ReadOptions = {}): Promise<number> {
    return this.guard("countDocuments", () => this.driver.countDocuments(filter, { ...this.common, signal: options.signal }));
  }

  /**
   * The collection's count from its metadata (the `count` command without a filter): no scan.
   * Never part of a transaction (`count` is not allowed in one).
   */
  estimatedDocumentCount(): Promise<number> {
    return this.guard("estimatedDocumentCount", () => this.driver.estimatedDocumentCount(this.timeoutMS === undefined ? {} : { timeoutMS: this.timeoutMS }));
  }

  /** With a `signal`, the driver (6.13 and later) closes the cursor on the server when it aborts. */
  aggregate<R extends Doc = Doc>(pipeline: Pipeline, options: ReadOptions = {}): DocStream<R> {
    // allowDiskUse lets $group/$sort spill past the 100 MiB stage limit (refused on Atlas M0/Flex).
    return this.streamOf("aggregate", () => this.driver.aggregate(pipeline, { ...this.cursorOptions, allowDiskUse: true, signal: options.signal }));
  }

  createIndexes(specs: IndexSpec[]): Promise<void> {
    return this.guard("createIndexes", () => ensureIndexes(this.driver, specs));
  }

  listIndexes(): Promise<IndexSpec[]> {
    return this.guard("listIndexes", async () => {
      const indexes = await this.driver
        .listIndexes()
        .toArray()
        .catch((error: unknown) => {
          if (hasCode(error, SERVER_CODES.namespaceNotFound)) return []; // the collection does not exist yet
          throw error;
        });
      return indexes.map((index) => ({
        name: String(index.name),
        keys: index.key as IndexSpec["keys"],
        ...(index.unique ? { unique: true } : {}),
        ...(index.expireAfterSeconds !== undefined ? { expireAfterSeconds: Number(index.expireAfterSeconds) } : {}),
        ...(index.partialFilterExpression ? { partialFilterExpression: index.partialFilterExpression as Doc } : {}),
      }));
    });
  }

  dropIndex(name: string): Promise<void> {
    return this.guard("dropIndex", async () => {
      try {
        await this.driver.dropIndex(name);
      } catch (error) {
        // Already gone (another process dropped it) or no collection yet: the goal is reached.
        if (!hasCode(error, SERVER_CODES.indexNotFound) && !hasCode(error, SERVER_CODES.namespaceNotFound)) throw error;
      }
    });
  }
}

/** The positions of an unordered bulk insert's write errors when every one is a duplicate key, else undefined. */
function onlyDuplicates(error: unknown): number[] | undefined {
  const bulk = error as MongoBulkWriteError;
  if (bulk?.name !== "MongoBulkWriteError" || bulk.result?.getWriteConcernError?.()) return undefined;
  const writeErrors = bulk.writeErrors ? [bulk.writeErrors].flat() : [];
  if (writeErrors.length === 0 || !writeErrors.every((e) => isDuplicateKey(e))) return undefined;
  return writeErrors.map((e) => e.index).sort((a, b) => a - b);
}

function toUpdateResult(result: { matchedCount: number; modifiedCount: number; upsertedId: unknown }): UpdateResult {
  return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: result.upsertedId ?? null };
}
