/**
 * The engine contract: a small subset of the MongoDB driver's `Collection`, in MongoDB's own
 * query language. Services only ever see these types, never the engine behind them.
 */
export type Doc = Record<string, unknown>;
export type Filter = Doc;
export type Update = Doc;
export type Pipeline = Doc[];
export type SortSpec = Record<string, 1 | -1>;

export interface ReadOptions {
  /**
   * Stops the read once it aborts (an HTTP client that went away): the stream or count rejects
   * with the signal's reason, and no further batch is read (MongoDB closes the server cursor).
   */
  signal?: AbortSignal;
}

export interface FindOptions extends ReadOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Doc;
}

export interface UpdateOptions {
  upsert?: boolean;
}

export interface FindOneAndUpdateOptions extends UpdateOptions {
  sort?: SortSpec;
  projection?: Doc;
  /** Which version to return; MongoDB's default is "before". */
  returnDocument?: "before" | "after";
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: unknown;
}

export interface InsertManyOptions {
  /** false: skip documents whose unique key exists and report them instead of failing. */
  ordered?: boolean;
}

export interface InsertManyResult {
  insertedCount: number;
  /** Positions (in the input) of documents skipped as duplicates; only with `ordered: false`. */
  duplicateIndexes: number[];
}

/** An async stream of documents; `toArray` for small results. */
export interface DocStream<T> extends AsyncIterable<T> {
  toArray(): Promise<T[]>;
}

export interface IndexSpec {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  /** TTL: documents expire this many seconds after the date in the (single) key. */
  expireAfterSeconds?: number;
  partialFilterExpression?: Doc;
}

export interface Collection<T extends Doc = Doc> {
  readonly name: string;
  insertOne(doc: T): Promise<{ insertedId: unknown }>;
  insertMany(docs: T[], options?: InsertManyOptions): Promise<InsertManyResult>;
  find(filter?: Filter, options?: FindOptions): DocStream<T>;
  findOne(filter: Filter, options?: Omit<FindOptions, "limit">): Promise<T | null>;
  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null>;
  deleteOne(filter: Filter): Promise<{ deletedCount: number }>;
  deleteMany(filter: Filter): Promise<{ deletedCount: number }>;
  countDocuments(filter?: Filter, options?: ReadOptions): Promise<number>;
  /** The whole collection's size from metadata, without scanning (may lag after an unclean shutdown). */
  estimatedDocumentCount(): Promise<number>;
  aggregate<R extends Doc = Doc>(pipeline: Pipeline, options?: ReadOptions): DocStream<R>;
  createIndexes(specs: IndexSpec[]): Promise<void>;
  listIndexes(): Promise<IndexSpec[]>;
  /** Drops an index by name; dropping one that does not exist is not an error. */
  dropIndex(name: string): Promise<void>;
}

export type Backend = "embedded" | "mongodb";

/** Operations a unit of work may use: the collections, bound to the unit's transaction. */
export interface StoreSession {
  collection<T extends Doc = Doc>(name: string): Collection<T>;
}

export interface Store extends StoreSession {
  readonly backend: Backend;
  /** Where the data lives, safe to print (passwords masked). */
  readonly location: string;
  /**
   * Runs `work` so that its writes land together or not at all. On MongoDB this needs a replica
   * set or sharded cluster; on a standalone server (opt-in only) the writes run without a
   * transaction. `work` may run more than once (MongoDB retries a unit hit by an election), so it
   * must only write through `session` and must not swallow the errors it gets.
   */
  transaction<R>(work: (session: StoreSession) => Promise<R>): Promise<R>;
  /** Deletes expired interactions; returns how many. MongoDB's TTL monitor does this by itself. */
  sweepExpired(): Promise<number>;
  close(): Promise<void>;
}
