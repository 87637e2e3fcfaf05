/**
 * The SQLite side of the embedded engine: the connection, its pragmas, the write gate and the
 * catalog of tables, hot columns and indexes. Collections run their operations through
 * `exclusive` and `atomic`. A store file this process may not write is opened read-only: reading
 * commands work on it, and opening it writes nothing.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type Database from "better-sqlite3";
import { Mutex } from "async-mutex";
import { StoreUnavailableError } from "../../errors.js";
import type { IndexSpec } from "../store.js";
import { Catalog, declaredSpec } from "./catalog.js";
import { type FoldSpec, HashGroupFunction, type PartialGroup } from "./hash-group.js";
import { foldRows } from "./split-fold.js";
import { wrapSqliteError } from "./sqlite-errors.js";
import { WalCheckpointer } from "./wal-checkpointer.js";

/**
 * better-sqlite3 is CommonJS: loaded by `require`, not through Node's ES module bridge, which
 * would first scan its source for named exports (some 15 ms of every command's start-up).
 */
const SqliteDatabase = createRequire(import.meta.url)("better-sqlite3") as typeof Database;

/**
 * The most of the store file that reads map. Mapped pages count in the process's resident memory,
 * so mapping a whole store made an export's memory grow with the store (371 MB for 100k examples
 * against 262 MB unmapped); a small map keeps most of the gain on small stores and memory flat
 * on large ones.
 */
const MMAP_BYTES = 64 * 2 ** 20;

/**
 * The writer's page cache, in KiB (SQLite's default is 2 MiB). A long transaction (an import)
 * inserts ids in random order all over the primary key and the indexes: in a small cache their
 * pages are evicted and read back again and again (measured: 100,000 inserts in one transaction,
 * 3.0-3.7 s with 2 MiB, 1.3-2.4 s with 32 MiB). The cache only grows as far as it is used.
 */
const WRITER_CACHE_KIB = 32 * 1024;

/** SQLite's own ceiling on the map (SQLITE_MAX_MMAP_SIZE): a store file up to 2 GB is mapped whole. */
const WHOLE_FILE_MMAP_BYTES = 0x7fff0000;

/** How long a write waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 15_000;

interface PendingGroup {
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

export class EmbeddedEngine {
  readonly db: Database.Database;
  readonly catalog: Catalog;
  /** The hash aggregate that groups over hot columns run through. */
  private readonly hashGroup: HashGroupFunction;
  private readonly path: string;
  /** The store file's inode once open, so a worker opening the path can tell it is the same file. */
  private readonly inode: number | undefined;
  private readonly nativeBinding: string | undefined;
  /** Serializes this process's transactions with its other operations on the one connection. */
  private readonly gate = new Mutex();
  /** Units of work that finished and wait for their shared COMMIT. */
  private pending?: PendingGroup;
  /** Per collection, the paths an index answers exactly (no arrays), so equality filters can use it. */
  private readonly indexedPaths = new Map<string, Set<string> & { source: IndexSpec[] }>();
  /** Checkpoints a writable store file's WAL off this thread (none for `:memory:` or read-only). */
  private readonly checkpointer: WalCheckpointer | undefined;

  constructor(path: string) {
    const readOnly = path !== ":memory:" && existsSync(path) && !writable(path);
    this.path = path === ":memory:" ? path : resolve(path);
    try {
      const binding = nativeBinding();
      this.nativeBinding = binding;
      this.db = new SqliteDatabase(path, { timeout: BUSY_TIMEOUT_MS, readonly: readOnly, nativeBinding: binding });
      if (!readOnly) {
        enableWal(this.db);
        this.db.pragma("synchronous = NORMAL");
        this.db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
        if (path !== ":memory:") this.checkpointer = new WalCheckpointer(this.db, resolve(path), { nativeBinding: binding });
      }
      this.db.pragma("foreign_keys = OFF");
      this.db.pragma("temp_store = MEMORY");
      // Reads of the file's first pages map them instead of copying each into SQLite's cache.
      // Writes still go through write(), so a full disk is still an error, not a crash.
      this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
      this.hashGroup = new HashGroupFunction(this.db);
      this.inode = path === ":memory:" ? undefined : statSync(path).ino;
      this.catalog = new Catalog(this.db, readOnly, (work) => this.atomic(work));
      this.catalog.open();
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_READONLY_DIRECTORY") {
        throw new StoreUnavailableError(`cannot read ${path}: its folder is read-only and SQLite needs to create ${path}-shm beside it; make the folder writable`, { cause: error });
      }
      throw wrapSqliteError(error, `opening ${path}`);
    }
  }

  get readOnly(): boolean {
    return this.catalog.readOnly;
  }

  /** Runs `work` alone on the connection; inside a transaction the caller already holds it. */
  exclusive<R>(inTransaction: boolean, work: () => R): Promise<R> {
    if (inTransaction) return Promise.resolve().then(work);
    return this.gate.runExclusive(() => {
      // Work outside a unit must not see (or join) units whose commit is still pending.
      this.commitPending();
      return work();
    });
  }

  /**
   * Folds the rows of a group read over hot columns (`statement`, its SQL `sql`, whose last two
   * parameters bound the rowids read) with the whole store file mapped: mapped pages are read in
   * place instead of copied one by one, and the map is cut back after it, so its pages stay out of
   * the process's memory once it is done. A large table is folded by two threads (split-fold.ts).
   */
  foldGroups(table: string, statement: Database.Statement, sql: string, params: unknown[], spec: FoldSpec, filtered: boolean): { found: PartialGroup[]; threads: number } {
    this.db.pragma(`mmap_size = ${WHOLE_FILE_MMAP_BYTES}`);
    try {
      const context = { db: this.db, hashGroup: this.hashGroup, path: this.path, inode: this.inode, nativeBinding: this.nativeBinding, mmapBytes: WHOLE_FILE_MMAP_BYTES };
      return foldRows(context, table, statement, sql, params, spec, filtered);
    } finally {
      this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
    }
  }

  /**
   * Runs a read-then-write as one `BEGIN IMMEDIATE` transaction. Inside a unit of work the outer
   * transaction already holds the write lock, and an error rolls it all back.
   */
  atomic<R>(work: () => R): R {
    if (this.db.inTransaction) return work();
    const result = this.db.transaction(work).immediate();
    this.checkpointer?.afterCommit();
    return result;
  }

  /**
   * Runs an async unit of work atomically, alone on the connection. Units that finish in the same
   * turn of the event loop share one commit (group commit): each runs in its own savepoint, so a
   * failing unit rolls back alone, and none reports success before the shared COMMIT is done.
   * Concurrent requests thus pay for one WAL write of the pages they touch instead of one each.
   */
  transaction<R>(work: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.gate
        .runExclusive(async () => {
          const group = this.openGroup();
          this.db.exec("SAVEPOINT lexi_unit");
          let result: R;
          try {
            result = await work();
          } catch (error) {
            this.rollbackUnit(group);
            reject(error);
            return;
          }
          this.db.exec("RELEASE lexi_unit");
          group.waiters.push({ resolve: () => resolve(result), reject });
        })
        .catch(reject);
    });
  }

  /** The pending group, begun now (with its commit scheduled) when there is none. */
  private openGroup(): PendingGroup {
    if (this.pending) return this.pending;
    try {
      this.db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw wrapSqliteError(error, "starting a transaction");
    }
    const group: PendingGroup = { waiters: [] };
    this.pending = group;
    setImmediate(() => {
      if (this.pending === group) void this.gate.runExclusive(() => this.commitPending());
    });
    return group;
  }

  private rollbackUnit(group: PendingGroup): void {
    if (this.db.inTransaction) {
      this.db.exec("ROLLBACK TO lexi_unit");
      this.db.exec("RELEASE lexi_unit");
      return;
    }
    // SQLite rolled the whole transaction back (an I/O error, a full disk): the group is lost.
    this.pending = undefined;
    const lost = new StoreUnavailableError("the transaction was rolled back by SQLite");
    for (const waiter of group.waiters) waiter.reject(lost);
  }

  /** Commits the pending group, if any, and tells its units how it went. */
  private commitPending(): void {
    const group = this.pending;
    if (!group) return;
    this.pending = undefined;
    try {
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      const failure = wrapSqliteError(error, "committing a transaction");
      for (const waiter of group.waiters) waiter.reject(failure);
      return;
    }
    this.checkpointer?.afterCommit();
    for (const waiter of group.waiters) waiter.resolve();
  }

  /** Paths of the collection's single-valued indexes (any key position). */
  scalarIndexPaths(collection: string): Set<string> {
    let paths = this.indexedPaths.get(collection);
    if (!paths || paths.source !== this.catalog.specsOf(collection)) {
      const specs = this.catalog.specsOf(collection);
      paths = Object.assign(new Set(specs.filter((spec) => !spec.multikey).flatMap((spec) => Object.keys(spec.keys))), { source: specs });
      this.indexedPaths.set(collection, paths);
    }
    return paths;
  }

  listIndexes(collection: string): IndexSpec[] {
    return [{ name: "_id_", keys: { _id: 1 }, unique: true }, ...this.catalog.specsOf(collection).map(declaredSpec)];
  }

  /** Closes the connection once the pending group, if any, is committed. */
  async close(): Promise<void> {
    await this.gate.runExclusive(async () => {
      this.commitPending();
      // The writer closes last: the last connection to close copies the WAL into the file and removes it.
      await this.checkpointer?.close();
      if (this.db.open) this.db.close();
    });
  }
}

/**
 * Where npm puts better-sqlite3's compiled module. Naming it spares every command the search of a
 * dozen folders that better-sqlite3 otherwise leaves to the `bindings` package (a few ms of
 * start-up); in any other layout, better-sqlite3 searches as usual.
 */
function nativeBinding(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve("better-sqlite3/build/Release/better_sqlite3.node");
  } catch {
    return undefined;
  }
}

/** Whether this process may write the store: the file and its folder (for the WAL files). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Switching a file to WAL takes an exclusive lock, and while another process is creating the same
 * file SQLite answers "database is locked" at once instead of waiting out its busy timeout: the
 * switch is retried until that timeout, as every other locked statement waits.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}
