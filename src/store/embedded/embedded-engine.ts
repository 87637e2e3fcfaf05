/**
 * The SQLite side of the embedded engine: the connection, its pragmas, the write gate and the
 * tables and indexes. Collections run their operations through `exclusive` and `atomic`.
 */
import Database from "better-sqlite3";
import { Mutex } from "async-mutex";
import { InvalidInputError } from "../../errors.js";
import type { IndexSpec } from "../store.js";
import { wrapSqliteError } from "./sqlite-errors.js";

/** How long a write waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 15_000;
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class EmbeddedEngine {
  readonly db: Database.Database;
  /** Serializes this process's transactions with its other operations on the one connection. */
  private readonly gate = new Mutex();
  private readonly tables = new Set<string>();
  /** Per collection, the paths an index answers exactly (no arrays), so equality filters can use it. */
  private readonly indexedPaths = new Map<string, Set<string>>();

  constructor(path: string) {
    try {
      this.db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = OFF");
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
    return this.gate.runExclusive(work);
  }

  /**
   * Runs a read-then-write as one `BEGIN IMMEDIATE` transaction. Inside a unit of work the outer
   * transaction already holds the write lock, and an error rolls it all back.
   */
  atomic<R>(work: () => R): R {
    if (this.db.inTransaction) return work();
    return this.db.transaction(work).immediate();
  }

  /** Holds the gate and an immediate transaction across an async unit of work. */
  async transaction<R>(work: () => Promise<R>): Promise<R> {
    return this.gate.runExclusive(async () => {
      try {
        this.db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        throw wrapSqliteError(error, "starting a transaction");
      }
      try {
        const result = await work();
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
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

  close(): void {
    if (this.db.open) this.db.close();
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
