/**
 * One collection of the embedded engine: a SQLite table of (rid, id, doc) rows, where `doc` is
 * the document's JSON text and `id` the key of its `_id`. Filters run through mingo; a filter on
 * `_id` is answered by the primary key.
 */
import { ObjectId } from "bson";
import type { Statement } from "better-sqlite3";
import { InvalidInputError } from "../../errors.js";
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
import { decodeDoc, decodePartial, encodeDoc, idKey } from "./codec.js";
import { findPaths, partialColumnSql, pipelinePaths } from "./pipeline-paths.js";
import type { EmbeddedEngine } from "./embedded-engine.js";
import { planFastGroup, runFastGroup } from "./fast-group.js";
import { aggregateStream, applyUpdate, compileFilter, project, shape, upsertSeed } from "./mql.js";
import { orderBy, pushdown } from "./pushdown.js";
import { isUniqueViolation, wrapSqliteError } from "./sqlite-errors.js";

const CHUNK_ROWS = 512;
/** How many results one turn of a stream produces before it lets other work run. */
const STREAM_BATCH = 256;

interface Row {
  rid: number;
  id: string;
  [column: string]: string | number | null;
}

/** How rows become documents: the whole stored document, or only some of its paths. */
interface RowReader {
  columns: string;
  read(row: Row): Doc;
}

const WHOLE_DOCUMENT: RowReader = { columns: "doc", read: (row) => decodeDoc<Doc>(row.doc as string) };

/**
 * Decoding a few paths in SQL beats parsing the whole document in JavaScript; past a handful the
 * per-path JSON work in SQLite costs more than it saves (measured: 3 paths 25% faster, 9 paths 2x slower).
 */
const MAX_PARTIAL_PATHS = 4;

function readerFor(paths: string[] | undefined): RowReader {
  return paths && paths.length <= MAX_PARTIAL_PATHS ? partialReader(paths) : WHOLE_DOCUMENT;
}

function partialReader(paths: string[]): RowReader {
  const segments = paths.map((path) => path.split("."));
  return { columns: partialColumnSql(paths), read: (row) => decodePartial(row.partial as string, segments) };
}

interface Match {
  rid: number;
  doc: Doc;
}

export class EmbeddedCollection<T extends Doc = Doc> implements Collection<T> {
  readonly name: string;
  private readonly table: string;
  private statements?: {
    insert: Statement<[string, string]>;
    update: Statement<[string, string, number]>;
    remove: Statement<[number]>;
    count: Statement<[], { n: number }>;
  };

  constructor(
    private readonly engine: EmbeddedEngine,
    name: string,
    /** true when bound to a running transaction: operations must not wait for the write gate. */
    private readonly inTransaction: boolean,
  ) {
    this.name = name;
    this.table = engine.tableName(name);
  }

  private get sql() {
    if (!this.statements) {
      this.engine.ensureTable(this.name);
      const db = this.engine.db;
      this.statements = {
        insert: db.prepare(`INSERT INTO "${this.table}" (id, doc) VALUES (?, ?)`),
        update: db.prepare(`UPDATE "${this.table}" SET id = ?, doc = ? WHERE rid = ?`),
        remove: db.prepare(`DELETE FROM "${this.table}" WHERE rid = ?`),
        count: db.prepare(`SELECT count(*) AS n FROM "${this.table}"`),
      };
    }
    return this.statements;
  }

  private run<R>(operation: string, work: () => R): Promise<R> {
    return this.engine.exclusive(this.inTransaction, () => {
      try {
        return work();
      } catch (error) {
        throw wrapSqliteError(error, `${operation} on ${this.name}`);
      }
    });
  }

  /**
   * Matching rows, read in chunks so that no SQLite cursor stays open between reads. With a sort
   * the indexes can answer, rows come in that order; otherwise in insertion order.
   */
  private *scan(filter: Filter, order?: string, reader: RowReader = WHOLE_DOCUMENT): Generator<Match> {
    const ids = idLookup(filter);
    const narrowed = pushdown(filter, this.engine.scalarIndexPaths(this.name));
    const onlyId = ids !== undefined && Object.keys(filter).length === 1;
    // Filters the primary key or the indexes answer exactly skip mingo: its set-up costs more than the lookup.
    const test = onlyId || narrowed?.exact ? () => true : compileFilter(filter);
    const select = `SELECT rid, id, ${reader.columns} FROM "${this.table}"`;
    const where = narrowed ? `${narrowed.where} AND ` : "";
    const params = narrowed?.params ?? [];
    const matches = function* (rows: Row[]): Generator<Match> {
      for (const row of rows) {
        const doc = reader.read(row);
        if (test(doc)) yield { rid: row.rid, doc };
      }
    };
    if (ids && !order) {
      const byId = this.statement(`${select} WHERE id = ?`);
      for (const id of new Set(ids)) yield* matches(byId.all(idKey(id)));
      return;
    }
    if (order === ID_ORDER) {
      // Keyset pages on the primary key: ObjectIds sort by their hex, strings before ObjectIds.
      const page = this.statement(`${select} WHERE ${where}id > ? ORDER BY id LIMIT ?`);
      for (let after = ""; ; ) {
        const rows = page.all(...params, after, CHUNK_ROWS);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.id;
        yield* matches(rows);
        if (rows.length < CHUNK_ROWS) return;
      }
    }
    if (order) {
      const page = this.statement(`${select}${narrowed ? ` WHERE ${narrowed.where}` : ""} ORDER BY ${order} LIMIT ? OFFSET ?`);
      for (let offset = 0; ; offset += CHUNK_ROWS) {
        const rows = page.all(...params, CHUNK_ROWS, offset);
        yield* matches(rows);
        if (rows.length < CHUNK_ROWS) return;
      }
    }
    const chunk = this.statement(`${select} WHERE ${where}rid > ? ORDER BY rid LIMIT ?`);
    for (let after = 0; ; ) {
      const rows = chunk.all(...params, after, CHUNK_ROWS);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.rid;
      yield* matches(rows);
      // A short chunk was the last: no second query just to learn that.
      if (rows.length < CHUNK_ROWS) return;
    }
  }

  private sortOrder(sort: FindOptions["sort"]): string | undefined {
    if (sort && Object.keys(sort).length === 1 && sort._id === 1) return ID_ORDER;
    return orderBy(sort, this.engine.scalarIndexPaths(this.name));
  }

  private readonly adHocStatements = new Map<string, Statement<unknown[], Row>>();

  private statement(sql: string): Statement<unknown[], Row> {
    let statement = this.adHocStatements.get(sql);
    if (!statement) {
      this.engine.ensureTable(this.name);
      statement = this.engine.db.prepare(sql);
      this.adHocStatements.set(sql, statement);
    }
    return statement;
  }

  private first(filter: Filter, sort?: FindOptions["sort"]): Match | undefined {
    const order = this.sortOrder(sort);
    if (!sort || order) return this.scan(filter, order).next().value ?? undefined;
    const matches = Array.from(this.scan(filter));
    const best = shape(matches.map((match) => match.doc), { sort, limit: 1 })[0];
    return matches.find((match) => match.doc === best);
  }

  /** Pulls a sync iterator in batches under the gate, so a long stream never blocks writers. */
  private streamOf<R>(operation: string, open: () => Iterator<R>): DocStream<R> {
    return docStream(async function* (this: EmbeddedCollection<T>) {
      let iterator: Iterator<R> | undefined;
      for (;;) {
        const batch = await this.run(operation, () => {
          iterator ??= open();
          const items: R[] = [];
          for (let i = 0; i < STREAM_BATCH; i++) {
            const next = iterator.next();
            if (next.done) {
              items.push(DONE as R);
              break;
            }
            items.push(next.value);
          }
          return items;
        });
        for (const item of batch) {
          if (item === DONE) return;
          yield item;
        }
      }
    }.bind(this));
  }

  find(filter: Filter = {}, options: FindOptions = {}): DocStream<T> {
    // With an inclusion projection, only the projected, filtered and sorted paths are decoded.
    const reader = readerFor(options.projection ? findPaths(filter, options) : undefined);
    return this.streamOf<T>("find", () => {
      const order = this.sortOrder(options.sort);
      if (order) return this.page(this.scan(filter, order, reader), options) as Iterator<T>;
      if (options.sort) {
        const all = Array.from(this.scan(filter, undefined, reader), (match) => match.doc);
        return shape(all, options)[Symbol.iterator]() as Iterator<T>;
      }
      return this.page(this.scan(filter, undefined, reader), options) as Iterator<T>;
    });
  }

  /** Skip, limit and projection over rows already in the right order. */
  private *page(matches: Iterable<Match>, options: FindOptions): Generator<Doc> {
    let skip = options.skip ?? 0;
    let left = options.limit && options.limit > 0 ? options.limit : Infinity;
    let page: Doc[] = [];
    for (const { doc } of matches) {
      if (left <= 0) break;
      if (skip > 0) {
        skip--;
        continue;
      }
      left--;
      page.push(doc);
      // Projection is applied a page at a time: mingo's per-call set-up dwarfs the per-document work.
      if (page.length === STREAM_BATCH) {
        yield* project(page, options.projection);
        page = [];
      }
    }
    yield* project(page, options.projection);
  }

  async findOne(filter: Filter, options: Omit<FindOptions, "limit"> = {}): Promise<T | null> {
    return this.run("findOne", () => {
      const order = this.sortOrder(options.sort);
      if ((!options.sort || order) && !options.skip) {
        const found = this.scan(filter, order).next().value;
        return found ? (project([found.doc], options.projection)[0] as T) : null;
      }
      const all = Array.from(this.scan(filter), (match) => match.doc);
      return (shape(all, { ...options, limit: 1 })[0] as T | undefined) ?? null;
    });
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    return this.run("countDocuments", () => {
      if (Object.keys(filter).length === 0) return this.sql.count.get()!.n;
      let count = 0;
      for (const _ of this.scan(filter)) count++;
      return count;
    });
  }

  /** SQLite counts a table's rows exactly and cheaply, so the estimate is the count. */
  estimatedDocumentCount(): Promise<number> {
    return this.countDocuments();
  }

  async insertOne(doc: T): Promise<{ insertedId: unknown }> {
    return this.run("insertOne", () => ({ insertedId: this.insertRow(doc) }));
  }

  async insertMany(docs: T[], options: InsertManyOptions = {}): Promise<InsertManyResult> {
    const ordered = options.ordered ?? true;
    return this.run("insertMany", () =>
      this.engine.atomic(() => {
        const duplicateIndexes: number[] = [];
        docs.forEach((doc, index) => {
          try {
            this.insertRow(doc);
          } catch (error) {
            if (ordered || !isUniqueViolation(error)) throw error;
            duplicateIndexes.push(index);
          }
        });
        return { insertedCount: docs.length - duplicateIndexes.length, duplicateIndexes };
      }),
    );
  }

  private insertRow(doc: Doc): unknown {
    const { _id, ...rest } = doc;
    const id = _id ?? new ObjectId();
    this.sql.insert.run(idKey(id), encodeDoc({ _id: id, ...rest }));
    return id;
  }

  async updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run("updateOne", () => this.engine.atomic(() => this.updateMatches(filter, update, options, false)));
  }

  async updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run("updateMany", () => this.engine.atomic(() => this.updateMatches(filter, update, options, true)));
  }

  private updateMatches(filter: Filter, update: Update, options: UpdateOptions, many: boolean): UpdateResult {
    const matches = many ? Array.from(this.scan(filter)) : [this.first(filter)].filter((m): m is Match => !!m);
    let modifiedCount = 0;
    for (const match of matches) {
      if (applyUpdate(match.doc, update, false)) {
        this.writeRow(match);
        modifiedCount++;
      }
    }
    if (matches.length === 0 && options.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: this.upsert(filter, update)._id };
    return { matchedCount: matches.length, modifiedCount, upsertedId: null };
  }

  private upsert(filter: Filter, update: Update): Doc {
    const doc = upsertSeed(filter);
    applyUpdate(doc, update, true);
    doc._id = this.insertRow(doc);
    return doc;
  }

  private writeRow(match: Match): void {
    this.sql.update.run(idKey(match.doc._id), encodeDoc(match.doc), match.rid);
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    return this.run("findOneAndUpdate", () =>
      this.engine.atomic(() => {
        const match = this.first(filter, options.sort);
        let result: Doc | null;
        if (match) {
          const before = options.returnDocument === "after" ? undefined : structuredCloneDoc(match.doc);
          if (applyUpdate(match.doc, update, false)) this.writeRow(match);
          result = before ?? match.doc;
        } else if (options.upsert) {
          const inserted = this.upsert(filter, update);
          result = options.returnDocument === "after" ? inserted : null;
        } else {
          result = null;
        }
        return result ? (project([result], options.projection)[0] as T) : null;
      }),
    );
  }

  async deleteOne(filter: Filter): Promise<{ deletedCount: number }> {
    return this.run("deleteOne", () =>
      this.engine.atomic(() => {
        const match = this.first(filter);
        if (match) this.sql.remove.run(match.rid);
        return { deletedCount: match ? 1 : 0 };
      }),
    );
  }

  async deleteMany(filter: Filter): Promise<{ deletedCount: number }> {
    return this.run("deleteMany", () =>
      this.engine.atomic(() => {
        const rids = Array.from(this.scan(filter), (match) => match.rid);
        for (const rid of rids) this.sql.remove.run(rid);
        return { deletedCount: rids.length };
      }),
    );
  }

  aggregate<R extends Doc = Doc>(pipeline: Pipeline): DocStream<R> {
    if (!Array.isArray(pipeline)) throw new InvalidInputError("an aggregation pipeline must be an array of stages");
    const [head, ...rest] = pipeline;
    const leadingMatch = head && "$match" in head ? (head.$match as Filter) : undefined;
    const stages = leadingMatch ? rest : pipeline;
    // Only the parts of each document the pipeline reads are decoded.
    const reader = readerFor(pipelinePaths(pipeline));
    const fast = planFastGroup(stages);
    return this.streamOf<R>("aggregate", () => {
      const source = mapIterator(this.scan(leadingMatch ?? {}, undefined, reader), (match) => match.doc);
      if (fast) {
        const groups = runFastGroup(fast.plan, source);
        return (fast.rest.length ? aggregateStream(fast.rest, groups) : groups) as Iterator<R>;
      }
      return (stages.length ? aggregateStream(stages, source) : source) as Iterator<R>;
    });
  }

  async createIndexes(specs: IndexSpec[]): Promise<void> {
    await this.run("createIndexes", () => this.engine.createIndexes(this.name, specs));
  }

  async dropIndex(name: string): Promise<void> {
    await this.run("dropIndex", () => this.engine.dropIndex(this.name, name));
  }

  async listIndexes(): Promise<IndexSpec[]> {
    return this.run("listIndexes", () => this.engine.listIndexes(this.name));
  }
}

const DONE = Symbol("done");
/** The sort order `{_id: 1}`, answered by the primary key. */
const ID_ORDER = "id";

function* mapIterator<A, B>(source: Iterable<A>, map: (item: A) => B): Generator<B> {
  for (const item of source) yield map(item);
}

/** A deep copy that keeps Dates and ObjectIds (structuredClone would turn ObjectIds into plain objects). */
function structuredCloneDoc(doc: Doc): Doc {
  return decodeDoc(encodeDoc(doc));
}

/** The `_id` values a filter pins down (`{_id: v}` or `{_id: {$in: [...]}}`), if any. */
function idLookup(filter: Filter): unknown[] | undefined {
  if (!("_id" in filter)) return undefined;
  const id = filter._id;
  if (id === null || id === undefined) return undefined;
  if (id instanceof ObjectId || typeof id === "string" || typeof id === "number") return [id];
  if (typeof id === "object" && !(id instanceof Date)) {
    const keys = Object.keys(id);
    if (keys.length === 1 && keys[0] === "$in" && Array.isArray((id as Doc).$in)) {
      const values = (id as { $in: unknown[] }).$in;
      if (values.every((v) => v instanceof ObjectId || typeof v === "string" || typeof v === "number")) return values;
    }
    if (keys.length === 1 && keys[0] === "$eq") return idLookup({ _id: (id as Doc).$eq });
  }
  return undefined;
}
