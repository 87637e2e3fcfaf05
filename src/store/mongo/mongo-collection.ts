/**
 * The MongoDB engine's collection: the driver's own `Collection`, with errors mapped to lexi's.
 * Keep this thin: every semantic belongs to the server.
 */
import type { ClientSession, Collection as DriverCollection, Document, MongoBulkWriteError } from "mongodb";
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
  Update,
  UpdateOptions,
  UpdateResult,
} from "../store.js";
import { isDuplicateKey, wrapMongoError } from "./mongo-errors.js";

const INDEX_CONFLICT_CODES = new Set([85, 86]);

export class MongoCollection<T extends Doc = Doc> implements Collection<T> {
  readonly name: string;

  constructor(
    private readonly driver: DriverCollection<Document>,
    private readonly session?: ClientSession,
  ) {
    this.name = driver.collectionName;
  }

  private async guard<R>(operation: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      throw wrapMongoError(error, `${operation} on ${this.name}`);
    }
  }

  private streamOf<R>(operation: string, open: () => AsyncIterable<Document>): DocStream<R> {
    const guard = this.guard.bind(this);
    return docStream(async function* () {
      const iterator = open()[Symbol.asyncIterator]();
      for (;;) {
        const next = await guard(operation, () => iterator.next());
        if (next.done) return;
        yield next.value as R;
      }
    });
  }

  insertOne(doc: T): Promise<{ insertedId: unknown }> {
    return this.guard("insertOne", async () => {
      const result = await this.driver.insertOne({ ...doc }, { session: this.session });
      return { insertedId: result.insertedId };
    });
  }

  insertMany(docs: T[], options: InsertManyOptions = {}): Promise<InsertManyResult> {
    const ordered = options.ordered ?? true;
    return this.guard("insertMany", async () => {
      if (docs.length === 0) return { insertedCount: 0, duplicateIndexes: [] };
      try {
        const result = await this.driver.insertMany(docs.map((doc) => ({ ...doc })), { ordered, session: this.session });
        return { insertedCount: result.insertedCount, duplicateIndexes: [] };
      } catch (error) {
        const bulk = error as MongoBulkWriteError;
        const writeErrors = bulk.writeErrors ? [bulk.writeErrors].flat() : [];
        if (ordered || writeErrors.length === 0 || !writeErrors.every((e) => isDuplicateKey(e))) throw error;
        const duplicateIndexes = writeErrors.map((e) => e.index).sort((a, b) => a - b);
        return { insertedCount: docs.length - duplicateIndexes.length, duplicateIndexes };
      }
    });
  }

  find(filter: Filter = {}, options: FindOptions = {}): DocStream<T> {
    return this.streamOf("find", () => this.driver.find(filter, { ...options, session: this.session }));
  }

  findOne(filter: Filter, options: Omit<FindOptions, "limit"> = {}): Promise<T | null> {
    return this.guard("findOne", async () => (await this.driver.findOne(filter, { ...options, session: this.session })) as T | null);
  }

  updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.guard("updateOne", async () => toUpdateResult(await this.driver.updateOne(filter, update, { ...options, session: this.session })));
  }

  updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.guard("updateMany", async () => toUpdateResult(await this.driver.updateMany(filter, update, { ...options, session: this.session })));
  }

  findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    return this.guard("findOneAndUpdate", async () => {
      const result = await this.driver.findOneAndUpdate(filter, update, { ...options, session: this.session, includeResultMetadata: false });
      return result as T | null;
    });
  }

  deleteOne(filter: Filter): Promise<{ deletedCount: number }> {
    return this.guard("deleteOne", async () => ({ deletedCount: (await this.driver.deleteOne(filter, { session: this.session })).deletedCount }));
  }

  deleteMany(filter: Filter): Promise<{ deletedCount: number }> {
    return this.guard("deleteMany", async () => ({ deletedCount: (await this.driver.deleteMany(filter, { session: this.session })).deletedCount }));
  }

  countDocuments(filter: Filter = {}): Promise<number> {
    return this.guard("countDocuments", () => this.driver.countDocuments(filter, { session: this.session }));
  }

  aggregate<R extends Doc = Doc>(pipeline: Pipeline): DocStream<R> {
    return this.streamOf("aggregate", () => this.driver.aggregate(pipeline, { session: this.session, allowDiskUse: true }));
  }

  createIndexes(specs: IndexSpec[]): Promise<void> {
    return this.guard("createIndexes", async () => {
      for (const spec of specs) {
        const { keys, multikey: _multikey, ...options } = spec;
        try {
          await this.driver.createIndex(keys, options);
        } catch (error) {
          // Same name, other options (a changed retention period): replace the index.
          if (!INDEX_CONFLICT_CODES.has(Number((error as { code?: number }).code))) throw error;
          await this.driver.dropIndex(spec.name);
          await this.driver.createIndex(keys, options);
        }
      }
    });
  }

  listIndexes(): Promise<IndexSpec[]> {
    return this.guard("listIndexes", async () => {
      const indexes = await this.driver.listIndexes().toArray().catch((error: { code?: number }) => {
        if (error.code === 26) return []; // NamespaceNotFound: the collection does not exist yet
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
      const existing = await this.listIndexes();
      if (existing.some((index) => index.name === name)) await this.driver.dropIndex(name);
    });
  }
}

function toUpdateResult(result: { matchedCount: number; modifiedCount: number; upsertedId: unknown }): UpdateResult {
  return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: result.upsertedId ?? null };
}
