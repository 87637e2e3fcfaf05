/**
 * What the embedded store's file holds besides documents: each collection's table and hot
 * columns, the declared indexes and a few settings. It is read once at open and kept in memory,
 * so opening an unchanged store writes nothing. The file's schema version (`PRAGMA user_version`)
 * says whether it needs a migration, which runs once, in one transaction.
 */
import type Database from "better-sqlite3";
import { StoreUnavailableError } from "../../errors.js";
import type { IndexSpec } from "../store.js";
import { CELL, type Layout, cellsOf, columnName, makeLayout, rankSql } from "./columns.js";
import { hotPathsOf } from "./hot-paths.js";
import { type Row, readerFor } from "./row-reader.js";
import { sqlIndexName, tableName } from "./sql-names.js";

/**
 * 1: hot fields in columns, indexes on the columns (version 0 indexed json_extract expressions).
 * 2: each index key leads with its column's type rank, so index order is MongoDB's order.
 */
export const SCHEMA_VERSION = 2;

const TABLE_COLUMNS = "rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL, ctypes TEXT NOT NULL DEFAULT ''";
const BACKFILL_ROWS = 2000;

type Write = <R>(work: () => R) => R;

/**
 * A declared index as the catalog keeps it. Like MongoDB, the engine finds out by itself that an
 * index is multikey: once an array is stored under one of its keys. SQLite cannot index array
 * elements, so a multikey index keeps no SQL index and its filters are answered in memory.
 */
export interface StoredIndexSpec extends IndexSpec {
  multikey?: boolean;
}

export class Catalog {
  private readonly tables = new Set<string>();
  private layouts = new Map<string, Layout>();
  private specs = new Map<string, StoredIndexSpec[]>();
  private sqlIndexes = new Set<string>();
  /** SQLite's schema counter when the catalog was read: another process's DDL changes it. */
  private loadedAt = -1;
  private schemaVersion?: Database.Statement<[], number>;

  constructor(
    private readonly db: Database.Database,
    readonly readOnly: boolean,
    /** Runs work in a write transaction (or inside the current one). */
    private readonly write: Write,
  ) {}

  /** Migrates an older file (once, in one transaction), then reads the catalog. */
  open(): void {
    const version = this.userVersion();
    if (version > SCHEMA_VERSION) {
      throw new StoreUnavailableError(`this store was written by a newer lexi (schema ${version}, this one reads ${SCHEMA_VERSION}); upgrade lexi to open it`);
    }
    if (version < SCHEMA_VERSION) {
      if (this.readOnly) throw new StoreUnavailableError("this store was written by an older lexi and needs a one-time upgrade: open it once with write access");
      this.write(() => this.migrate());
    }
    this.load();
    if (!this.readOnly && [...this.tables].some((collection) => this.lacksHotPaths(collection))) this.write(() => this.addHotColumns());
  }

  private lacksHotPaths(collection: string): boolean {
    const layout = this.layout(collection);
    return hotPathsOf(collection).some((path) => !layout.byPath.has(path));
  }

  /**
   * Hot paths declared since the file was written become columns, filled from the documents, once.
   * Columns are found by name (`lexi_columns`), so an older lexi still reads and writes the file.
   */
  private addHotColumns(): void {
    // Another process may have added them while this one waited for the write lock.
    this.load();
    for (const collection of this.tables) if (this.lacksHotPaths(collection)) this.addColumnsReindexed(collection, hotPathsOf(collection));
    this.load();
  }

  /**
   * Adds and fills columns with the collection's indexes dropped, then builds them again: filling
   * rewrites every row's type letters, which every index leads with, so the indexes would be
   * updated row by row (200,000 interactions: 6.5 s to fill with the indexes in place).
   */
  private addColumnsReindexed(collection: string, paths: string[]): void {
    const specs = this.specsOf(collection);
    for (const spec of specs) this.db.exec(`DROP INDEX IF EXISTS "${sqlIndexName(collection, spec.name)}"`);
    this.addColumns(collection, paths);
    for (const spec of specs) this.buildIndex(collection, spec);
  }

  private userVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  private migrate(): void {
    // Another process may have migrated while this one waited for the write lock.
    const from = this.userVersion();
    if (from >= SCHEMA_VERSION) return;
    if (from === 0) this.moveToColumns();
    else this.rebuildIndexes();
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.load();
  }

  /** Version 1 to 2: the same indexes, each key now led by its type rank. */
  private rebuildIndexes(): void {
    this.load();
    for (const collection of this.tables) for (const spec of this.specsOf(collection)) this.buildIndex(collection, spec);
  }

  /** Version 0 to the current one: hot columns filled from the documents, indexes on them. */
  private moveToColumns(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS lexi_indexes (collection TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (collection, name));
      CREATE TABLE IF NOT EXISTS lexi_columns (collection TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (collection, path));
      CREATE TABLE IF NOT EXISTS lexi_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.load();
    for (const collection of [...this.tables]) {
      const table = tableName(collection);
      this.db.exec(`ALTER TABLE "${table}" ADD COLUMN ctypes TEXT NOT NULL DEFAULT ''`);
      const indexes = this.db.prepare<[string], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").pluck().all(table);
      for (const index of indexes) this.db.exec(`DROP INDEX "${index}"`);
      this.addColumnsReindexed(collection, [...hotPathsOf(collection), ...this.specsOf(collection).flatMap((spec) => Object.keys(spec.keys))]);
    }
  }

  private load(): void {
    const tables = this.db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'docs\\_%' ESCAPE '\\'")
      .pluck()
      .all();
    this.tables.clear();
    for (const table of tables) this.tables.add(table.slice("docs_".length));
    const columns = new Map<string, Array<{ path: string; name: string }>>();
    const columnRows = this.db
      .prepare<[], { collection: string; path: string; name: string }>("SELECT collection, path, name FROM lexi_columns ORDER BY collection, position")
      .all();
    for (const row of columnRows) columns.set(row.collection, [...(columns.get(row.collection) ?? []), row]);
    this.layouts = new Map([...columns].map(([collection, rows]) => [collection, makeLayout(rows)]));
    this.specs = new Map();
    for (const row of this.db.prepare<[], { collection: string; spec: string }>("SELECT collection, spec FROM lexi_indexes ORDER BY rowid").all()) {
      this.specs.set(row.collection, [...(this.specs.get(row.collection) ?? []), JSON.parse(row.spec) as StoredIndexSpec]);
    }
    this.sqlIndexes = new Set(this.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all());
    this.loadedAt = this.db.pragma("schema_version", { simple: true }) as number;
  }

  /** Reads the catalog again if another process changed the schema; call inside a write transaction. */
  refresh(): void {
    // A prepared statement: `db.pragma()` compiles its SQL on every call, and writes call this per row.
    this.schemaVersion ??= this.db.prepare<[], number>("PRAGMA schema_version").pluck();
    if (this.schemaVersion.get() !== this.loadedAt) this.load();
  }

  layout(collection: string): Layout {
    return this.layouts.get(collection) ?? EMPTY_LAYOUT;
  }

  specsOf(collection: string): StoredIndexSpec[] {
    return this.specs.get(collection) ?? [];
  }

  /**
   * Creates the collection's table with its hot columns. A read-only store gets an empty
   * temporary table instead, so reading a collection never written reads nothing.
   */
  ensureTable(collection: string): void {
    if (this.tables.has(collection)) return;
    const table = tableName(collection);
    if (this.readOnly) {
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS "${table}" (${TABLE_COLUMNS})`);
      this.tables.add(collection);
      return;
    }
    this.write(() => {
      this.refresh();
      if (this.tables.has(collection)) return;
      this.db.exec(`CREATE TABLE "${table}" (${TABLE_COLUMNS})`);
      this.tables.add(collection);
      this.addColumns(collection, hotPathsOf(collection));
    });
  }

  /** Creates the indexes that are missing or changed; an unchanged store is not written to. */
  createIndexes(collection: string, specs: IndexSpec[]): void {
    this.ensureTable(collection);
    if (specs.every((spec) => this.isCurrent(collection, spec)) || this.readOnly) return;
    this.write(() => {
      // Another process may have created some of them meanwhile.
      this.refresh();
      const stale = specs.filter((spec) => !this.isCurrent(collection, spec));
      this.addColumns(collection, stale.flatMap((spec) => Object.keys(spec.keys)));
      for (const spec of stale) {
        const stored: StoredIndexSpec = this.holdsArrays(collection, spec) ? { ...spec, multikey: true } : { ...spec };
        this.buildIndex(collection, stored);
        this.saveSpec(collection, stored);
      }
      this.load();
    });
  }

  private isCurrent(collection: string, spec: IndexSpec): boolean {
    const stored = this.specsOf(collection).find((existing) => existing.name === spec.name);
    if (!stored || JSON.stringify(declaredSpec(stored)) !== JSON.stringify(spec)) return false;
    return stored.multikey === true || this.sqlIndexes.has(sqlIndexName(collection, spec.name));
  }

  private saveSpec(collection: string, spec: StoredIndexSpec): void {
    this.db.prepare("INSERT OR REPLACE INTO lexi_indexes (collection, name, spec) VALUES (?, ?, ?)").run(collection, spec.name, JSON.stringify(spec));
  }

  /** Whether a stored document holds an array under one of the spec's keys (its columns exist). */
  private holdsArrays(collection: string, spec: IndexSpec): boolean {
    const layout = this.layout(collection);
    const conditions = Object.keys(spec.keys).map((path) => {
      const column = layout.byPath.get(path)!;
      const letter = `substr(ctypes, ${column.position}, 1)`;
      return `${letter} = '${CELL.acrossArray}' OR (${letter} = '${CELL.json}' AND substr("${column.name}", 1, 1) = '[')`;
    });
    return this.db.prepare(`SELECT 1 FROM "${tableName(collection)}" WHERE ${conditions.join(" OR ")} LIMIT 1`).get() !== undefined;
  }

  /**
   * Marks indexes multikey, in the write transaction that stores the first array under one of
   * their keys, and drops their SQL indexes, which would hold the whole array as one value.
   */
  markMultikey(collection: string, names: string[]): void {
    for (const spec of this.specsOf(collection)) {
      if (!names.includes(spec.name) || spec.multikey) continue;
      const stored = { ...spec, multikey: true };
      this.buildIndex(collection, stored);
      this.saveSpec(collection, stored);
    }
    this.load();
  }

  /**
   * The SQL index of a spec, on the key paths' columns. A multikey index is only declared: its
   * column holds whole arrays, which SQLite cannot index element by element.
   */
  private buildIndex(collection: string, spec: StoredIndexSpec): void {
    const sqlName = sqlIndexName(collection, spec.name);
    this.db.exec(`DROP INDEX IF EXISTS "${sqlName}"`);
    if (spec.multikey) return;
    const layout = this.layout(collection);
    const columns = Object.entries(spec.keys).map(([path, direction]) => {
      const column = layout.byPath.get(path)!;
      const order = direction === -1 ? " DESC" : "";
      return `${rankSql(column)}${order}, "${column.name}"${order}`;
    });
    this.db.exec(`CREATE ${spec.unique ? "UNIQUE " : ""}INDEX "${sqlName}" ON "${tableName(collection)}" (${columns.join(", ")})`);
  }

  dropIndex(collection: string, name: string): void {
    const declared = this.specsOf(collection).some((spec) => spec.name === name);
    if (!declared && !this.sqlIndexes.has(sqlIndexName(collection, name))) return;
    this.write(() => {
      this.refresh();
      this.db.exec(`DROP INDEX IF EXISTS "${sqlIndexName(collection, name)}"`);
      this.db.prepare("DELETE FROM lexi_indexes WHERE collection = ? AND name = ?").run(collection, name);
      this.load();
    });
  }

  /**
   * Adds a column per new path and fills it from the stored documents (a document stays the
   * source of truth; a column is derived from it).
   */
  private addColumns(collection: string, paths: string[]): void {
    const known = this.layout(collection);
    const fresh = [...new Set(paths)].filter((path) => !known.byPath.has(path));
    if (fresh.length === 0) return;
    const table = tableName(collection);
    const added = fresh.map((path, i) => ({ path, name: columnName(path, known.columns.length + i + 1) }));
    const save = this.db.prepare("INSERT INTO lexi_columns (collection, path, name, position) VALUES (?, ?, ?, ?)");
    added.forEach((column, i) => {
      this.db.exec(`ALTER TABLE "${table}" ADD COLUMN "${column.name}"`);
      save.run(collection, column.path, column.name, known.columns.length + i + 1);
    });
    this.layouts.set(collection, makeLayout([...known.columns, ...added]));
    const only = makeLayout(added);
    // A few paths are cut out of each document by SQLite; many are read from whole documents.
    const reader = readerFor(fresh, EMPTY_LAYOUT);
    const read = this.db.prepare<[number, number], Row>(`SELECT rid, id, ${reader.columns} FROM "${table}" WHERE rid > ? ORDER BY rid LIMIT ?`);
    const fill = this.db.prepare(`UPDATE "${table}" SET ctypes = ctypes || ?, ${added.map((column) => `"${column.name}" = ?`).join(", ")} WHERE rid = ?`);
    for (let after = 0; ; ) {
      const rows = read.all(after, BACKFILL_ROWS);
      for (const row of rows) {
        const { types, values } = cellsOf(reader.read(row), only);
        fill.run(types, ...values, row.rid);
      }
      if (rows.length < BACKFILL_ROWS) break;
      after = rows[rows.length - 1]!.rid;
    }
  }

  getSetting(key: string): string | undefined {
    return this.db.prepare<[string], string>("SELECT value FROM lexi_meta WHERE key = ?").pluck().get(key);
  }

  setSetting(key: string, value: string): void {
    this.db.prepare("INSERT OR REPLACE INTO lexi_meta (key, value) VALUES (?, ?)").run(key, value);
  }
}

const EMPTY_LAYOUT: Layout = makeLayout([]);

/** A stored spec as it was declared: whether it turned multikey is the engine's own finding. */
export function declaredSpec({ multikey: _multikey, ...declared }: StoredIndexSpec): IndexSpec {
  return declared;
}
