/**
 * The SQLite side of the embedded engine: the connection, its pragmas, the write gate and the
 * tables and indexes. Collections run their operations through `exclusive` and `atomic`.
 */
import Database from "better-sqlite3";
import { Mutex } from "async-mutex";
import { InvalidInputError, StoreUnavailableError } from "../../errors.js";
import type { IndexSpec } from "../store.js";
import { wrapSqliteError } from "./sqlite-errors.js";

/** How long a write waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 15_000;
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface PendingGroup {
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

export class EmbeddedEngine {
  readonly db: Database.Database;
  /** Serializes this process's transactions with its other operations on the one connection. */
  private readonly gate = new Mutex();
  private readonly tables = new Set<string>();
  /** Units of work that finished and wait for their shared COMMIT. */
  private pending?: PendingGroup;
  /** Per collection, the paths an index answers exactly (no arrays), so equality filters can use it. */
  private readonly indexedPaths = new Map<string, Set<string>>();

  constructor(path: string) {
    try {
      this.db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = OFF");
      this.db.pragma("temp_store = MEMORY");
      this.db.exec(`CREATE TABLE IF NOT EXISTS lexi_indexes (
        collection TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (collection, name))`);
    } catch (error) {
      throw wrapSqliteError(error, `opening ${path}`);
    }
  }

  tableName(collection: string): string {
    if (!NAME_PATTERN.test(collection)) throw new InvalidInputError(`invalid collection name "${collection}"`);
    return `docs_${collection}`;
  }

  ensureTable(collection: string): void {
    if (this.tables.has(collection)) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS "${this.tableName(collection)}" (
      rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)`);
    this.tables.add(collection);
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
   * Runs a read-then-write as one `BEGIN IMMEDIATE` transaction. Inside a unit of work the outer
   * transaction already holds the write lock, and an error rolls it all back.
   */
  atomic<R>(work: () => R): R {
    if (this.db.inTransaction) return work();
    return this.db.transaction(work).immediate();
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
    for (const waiter of group.waiters) waiter.resolve();
  }

  createIndexes(collection: string, specs: IndexSpec[]): void {
    this.ensureTable(collection);
    const table = this.tableName(collection);
    this.indexedPaths.delete(collection);
    this.atomic(() => {
      for (const spec of specs) {
        const sqlName = sqlIndexName(collection, spec.name);
        const columns = Object.entries(spec.keys)
          .map(([path, direction]) => `${jsonPathExpression(path)}${direction === -1 ? " DESC" : ""}`)
          .join(", ");
        const previous = this.db
          .prepare<[string, string], { spec: string }>("SELECT spec FROM lexi_indexes WHERE collection = ? AND name = ?")
          .get(collection, spec.name);
        if (previous && previous.spec !== JSON.stringify(spec)) this.db.exec(`DROP INDEX IF EXISTS "${sqlName}"`);
        this.db.exec(`CREATE ${spec.unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS "${sqlName}" ON "${table}" (${columns})`);
        this.db
          .prepare("INSERT OR REPLACE INTO lexi_indexes (collection, name, spec) VALUES (?, ?, ?)")
          .run(collection, spec.name, JSON.stringify(spec));
      }
    });
  }

  dropIndex(collection: string, name: string): void {
    this.indexedPaths.delete(collection);
    this.db.exec(`DROP INDEX IF EXISTS "${sqlIndexName(collection, name)}"`);
    this.db.prepare("DELETE FROM lexi_indexes WHERE collection = ? AND name = ?").run(collection, name);
  }

  /** Paths of the collection's single-valued indexes (any key position). */
  scalarIndexPaths(collection: string): Set<string> {
    let paths = this.indexedPaths.get(collection);
    if (!paths) {
      paths = new Set(
        this.listIndexes(collection)
          .filter((spec) => !spec.multikey && spec.name !== "_id_")
          .flatMap((spec) => Object.keys(spec.keys)),
      );
      this.indexedPaths.set(collection, paths);
    }
    return paths;
  }

  listIndexes(collection: string): IndexSpec[] {
    const rows = this.db
      .prepare<[string], { spec: string }>("SELECT spec FROM lexi_indexes WHERE collection = ? ORDER BY rowid")
      .all(collection);
    return [{ name: "_id_", keys: { _id: 1 }, unique: true }, ...rows.map((row) => JSON.parse(row.spec) as IndexSpec)];
  }

  /** Closes the connection once the pending group, if any, is committed. */
  async close(): Promise<void> {
    await this.gate.runExclusive(() => {
      this.commitPending();
      if (this.db.open) this.db.close();
    });
  }
}

/** The SQLite index behind a MongoDB index name. */
function sqlIndexName(collection: string, name: string): string {
  return `ix_${collection}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** The SQLite JSON path `$."a"."b"` of the dotted path `a.b` (or of its segments). */
export function jsonPath(path: string | string[]): string {
  const segments = typeof path === "string" ? path.split(".") : path;
  return `$.${segments.map((segment) => `"${segment.replace(/["'\\]/g, "")}"`).join(".")}`;
}

/** `json_extract(doc, '$."a"."b"')` for the dotted path `a.b`. */
export function jsonPathExpression(path: string): string {
  return `json_extract(doc, '${jsonPath(path)}')`;
}
