/**
 * One collection of the embedded engine: a SQLite table of (rid, id, doc) rows, where `doc` is
 * the document's JSON text and `id` the key of its `_id`, beside hot columns. Which rows a read
 * takes and in which order is planned by scan-plan.ts and read page by page by keyset-scan.ts;
 * mingo tests the rows the SQL does not answer exactly, and runs what SQL cannot.
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
  ReadOptions,
  SortSpec,
  Update,
  UpdateOptions,
  UpdateResult,
} from "../store.js";
import { asSent } from "./as-sent.js";
import { decodeDoc, encodeDoc, idKey } from "./codec.js";
import { checkDocumentSize } from "./document-limit.js";
import type { StoredIndexSpec } from "./catalog.js";
import { CELL, type CellValue, type Layout, cellsOf, rankOfLetter, rankSql } from "./columns.js";
import { findPaths, pipelinePaths } from "./pipeline-paths.js";
import type { EmbeddedEngine } from "./embedded-engine.js";
import { type GroupPlan, planFastGroup, runFastGroup } from "./fast-group.js";
import { HASH_GROUP_FUNCTION } from "./hash-group.js";
import { aggregateStream, applyUpdate, compileFilter, project, shape, upsertSeed } from "./mql.js";
import { type SqlRunner, keysetScan } from "./keyset-scan.js";
import { type Row, type RowReader, WHOLE_DOCUMENT, readerFor } from "./row-reader.js";
import { type GroupPath, READ_PATHS, type ReadEvent } from "./read-paths.js";
import { type ScanPlan, planScan } from "./scan-plan.js";
import { sqlGroup } from "./sql-group.js";
import { tableName } from "./sql-names.js";
import { isUniqueViolation, uniqueViolation, wrapSqliteError } from "./sqlite-errors.js";

const CHUNK_ROWS = 512;
/** How many results one turn of a stream produces before it lets other work run. */
const STREAM_BATCH = 256;

interface Match {
  rid: number;
  doc: Doc;
}

/** The statements that write rows, for one layout of hot columns. */
interface WriteStatements {
  layout: Layout;
  insert: Statement<unknown[]>;
  remove: Statement<[number]>;
  /** Per set of changed columns, an UPDATE that writes only those (and so touches only their indexes). */
  updates: Map<string, Statement<unknown[]>>;
  /** Per unique index with its columns' positions: finds another row with the same key, missing keys included. */
  uniques: Array<{ positions: number[]; other: Statement<unknown[]> }>;
  /** The indexes not yet multikey, with their key columns' positions: an array there turns them multikey. */
  scalarIndexes: Array<{ name: string; positions: number[] }>;
  specs: StoredIndexSpec[];
}

export class EmbeddedCollection<T extends Doc = Doc> implements Collection<T> {
  readonly name: string;
  private readonly table: string;
  private writes?: WriteStatements;

  constructor(
    private readonly engine: EmbeddedEngine,
    name: string,
    /** true when bound to a running transaction: operations must not wait for the write gate. */
    private readonly inTransaction: boolean,
  ) {
    this.name = name;
    this.table = tableName(name);
  }

  private get layout(): Layout {
    this.engine.catalog.ensureTable(this.name);
    return this.engine.catalog.layout(this.name);
  }

  /**
   * The write statements for the current layout. Called inside the write transaction, so another
   * process that added a column has finished doing so, and this one sees it.
   */
  private writeStatements(): WriteStatements {
    const catalog = this.engine.catalog;
    catalog.ensureTable(this.name);
    catalog.refresh();
    const layout = catalog.layout(this.name);
    const specs = catalog.specsOf(this.name);
    if (this.writes?.layout === layout && this.writes.specs === specs) return this.writes;
    const db = this.engine.db;
    const names = layout.columns.map((column) => `, "${column.name}"`).join("");
    const uniques = specs
      .filter((spec) => spec.unique && !spec.multikey)
      .map((spec) => {
        const columns = Object.keys(spec.keys).map((path) => layout.byPath.get(path)!);
        // Rank and value per key part, as the index holds them, so the index answers.
        const where = columns.map((column) => `${rankSql(column)} = ? AND "${column.name}" IS ?`).join(" AND ");
        return { positions: columns.map((column) => column.position - 1), other: db.prepare(`SELECT 1 FROM "${this.table}" WHERE ${where} AND rid IS NOT ? LIMIT 1`) };
      });
    this.writes = {
      layout,
      insert: db.prepare(`INSERT INTO "${this.table}" (id, doc, ctypes${names}) VALUES (?, ?, ?${layout.columns.map(() => ", ?").join("")})`),
      remove: db.prepare(`DELETE FROM "${this.table}" WHERE rid = ?`),
      updates: new Map(),
      uniques,
      scalarIndexes: specs
        .filter((spec) => !spec.multikey)
        .map((spec) => ({ name: spec.name, positions: Object.keys(spec.keys).map((path) => layout.byPath.get(path)!.position - 1) })),
      specs,
    };
    return this.writes;
  }

  /**
   * A row holding an array under a key of an index not yet multikey turns that index multikey
   * (as MongoDB does) before the row is written; returns the statements for the catalog after.
   */
  private admitArrays(writes: WriteStatements, types: string, values: CellValue[]): WriteStatements {
    const holdsArray = (position: number) => types[position] === CELL.acrossArray || (types[position] === CELL.json && (values[position] as string).startsWith("["));
    const turned = writes.scalarIndexes.filter((index) => index.positions.some(holdsArray));
    if (turned.length === 0) return writes;
    this.engine.catalog.markMultikey(this.name, turned.map((index) => index.name));
    return this.writeStatements();
  }

  /**
   * MongoDB indexes a missing key as null, so a unique index admits one document without the
   * key; SQLite admits any number of NULLs. A key with a NULL part is checked here.
   */
  private checkUniqueNulls(writes: WriteStatements, types: string, values: CellValue[], rid: number | null): void {
    for (const unique of writes.uniques) {
      if (unique.positions.every((position) => values[position] !== null)) continue;
      const key = unique.positions.flatMap((position) => [rankOfLetter(types[position] ?? ""), values[position] ?? null]);
      if (unique.other.get(...key, rid)) throw uniqueViolation(this.name);
    }
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

  private plan(filter: Filter, sort?: SortSpec): ScanPlan {
    // Another process may have turned an index multikey: its SQL index no longer answers.
    this.engine.catalog.refresh();
    return planScan(filter, sort, {
      layout: this.layout,
      indexedPaths: this.engine.scalarIndexPaths(this.name),
      idTextSortsAsBson: () => this.idTextSortsAsBson(),
    });
  }

  /** The plan, announced on the read-paths channel under `operation`. */
  private planned(operation: string, filter: Filter, sort?: SortSpec, group?: GroupPath): ScanPlan {
    const plan = this.plan(filter, sort);
    this.announce(operation, plan, sort, group);
    return plan;
  }

  private announce(operation: string, plan: ScanPlan, sort: SortSpec | undefined, group?: GroupPath, threads?: number): void {
    // Every read passes here: nothing is built when nobody listens.
    if (!READ_PATHS.hasSubscribers) return;
    const scan = plan.ids ? "id lookup" : !sort ? "insertion order" : plan.sorted ? "index order" : "sorted in memory";
    READ_PATHS.publish({ collection: this.name, operation, scan, exact: plan.exact, ...(group ? { group } : {}), ...(threads ? { threads } : {}) } satisfies ReadEvent);
  }

  /**
   * Matching rows, in the plan's order, read a page at a time so that no SQLite cursor stays open
   * between reads.
   */
  private *scan(filter: Filter, plan: ScanPlan, reader: RowReader = WHOLE_DOCUMENT): Generator<Match> {
    // Filters the primary key or the indexes answer exactly skip mingo: its set-up costs more than the lookup.
    const test = plan.exact ? () => true : compileFilter(filter);
    const columns = `rid, id, ${reader.columns}`;
    const rows = plan.ids
      ? this.rowsById(columns, plan.ids)
      : keysetScan({ columns, table: this.table, where: plan.where, params: plan.params, order: plan.order }, this.runner, CHUNK_ROWS);
    for (const row of rows as Iterable<Row>) {
      const doc = reader.read(row);
      if (test(doc)) yield { rid: row.rid, doc };
    }
  }

  /** How scans run their SQL: statements prepared once per text, query plans asked once. */
  private readonly runner: SqlRunner = (() => {
    const idStatements = new Map<string, Statement<unknown[], number>>();
    const sorts = new Map<string, boolean>();
    return {
      rows: (sql, params) => this.statement(sql).all(...params),
      ids: (sql, params) => {
        let statement = idStatements.get(sql);
        if (!statement) idStatements.set(sql, (statement = this.engine.db.prepare<unknown[], number>(sql).pluck()));
        return statement.all(...params);
      },
      sortsAll: (sql, params) => {
        let answer = sorts.get(sql);
        if (answer === undefined) {
          const steps = this.engine.db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params);
          answer = steps.some((step) => /TEMP B-TREE FOR .*ORDER BY/.test(step.detail));
          sorts.set(sql, answer);
        }
        return answer;
      },
    };
  })();

  /** One query per chunk of ids: an import checks a whole batch of ids at once. */
  private *rowsById(columns: string, keys: string[]): Generator<Row> {
    for (let start = 0; start < keys.length; start += CHUNK_ROWS) {
      const chunk = keys.slice(start, start + CHUNK_ROWS);
      yield* this.statement(`SELECT ${columns} FROM "${this.table}" WHERE id IN (${chunk.map(() => "?").join(", ")})`).all(...chunk);
    }
  }

  /**
   * Whether the primary key's text sorts as MongoDB sorts the `_id`s: true while every `_id` is a
   * string (`"…"`) or an ObjectId (`{"$oid":"…"}`), which sort in that order, by bytes and by hex.
   * Numbers, booleans, dates or subdocuments as `_id`s would not (`10` before `9`), so a sort on
   * them takes the in-memory path. Range probes on the primary key, no scan.
   */
  private idTextSortsAsBson(): boolean {
    const other = this.statement(`SELECT 1 FROM "${this.table}" WHERE id < '"' OR (id >= '#' AND id < '{"$oid":"') OR id >= '{"$oid":#' LIMIT 1`);
    return other.get() === undefined;
  }

  private readonly adHocStatements = new Map<string, Statement<unknown[], Row>>();

  private statement(sql: string): Statement<unknown[], Row> {
    let statement = this.adHocStatements.get(sql);
    if (!statement) {
      this.engine.catalog.ensureTable(this.name);
      statement = this.engine.db.prepare(sql);
      this.adHocStatements.set(sql, statement);
    }
    return statement;
  }

  private first(operation: string, filter: Filter, sort?: SortSpec): Match | undefined {
    const plan = this.planned(operation, filter, sort);
    if (plan.sorted) return this.scan(filter, plan).next().value ?? undefined;
    const matches = Array.from(this.scan(filter, plan));
    const best = shape(matches.map((match) => match.doc), { sort, limit: 1 })[0];
    return matches.find((match) => match.doc === best);
  }

  /**
   * Pulls a sync iterator in batches under the gate, so a long stream never blocks writers; an
   * aborted `signal` stops it between two batches.
   */
  private streamOf<R>(operation: string, open: () => Iterator<R>, signal?: AbortSignal): DocStream<R> {
    return docStream(async function* (this: EmbeddedCollection<T>) {
      let iterator: Iterator<R> | undefined;
      for (;;) {
        signal?.throwIfAborted();
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

  find(given: Filter = {}, options: FindOptions = {}): DocStream<T> {
    const filter = asSent(given);
    return this.streamOf<T>("find", () => {
      const plan = this.planned("find", filter, options.sort);
      const reader = this.projectionReader(filter, plan, options);
      if (plan.sorted) return this.page(this.scan(filter, plan, reader), options, filter) as Iterator<T>;
      const all = Array.from(this.scan(filter, plan, reader), (match) => match.doc);
      return shape(all, options, filter)[Symbol.iterator]() as Iterator<T>;
    }, options.signal);
  }

  /**
   * With an inclusion projection, only the projected and sorted paths are decoded, and the
   * filtered ones unless SQL answers the filter exactly.
   */
  private projectionReader(filter: Filter, plan: ScanPlan, options: FindOptions): RowReader {
    return readerFor(options.projection ? findPaths(plan.exact ? {} : filter, options) : undefined, this.layout);
  }

  /** Skip, limit and projection over rows already in the right order. */
  private *page(matches: Iterable<Match>, options: FindOptions, filter: Filter): Generator<Doc> {
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
        yield* project(page, options.projection, filter);
        page = [];
      }
    }
    yield* project(page, options.projection, filter);
  }

  async findOne(given: Filter, options: Omit<FindOptions, "limit"> = {}): Promise<T | null> {
    const filter = asSent(given);
    options.signal?.throwIfAborted();
    return this.run("findOne", () => {
      const plan = this.planned("findOne", filter, options.sort);
      const reader = this.projectionReader(filter, plan, options);
      if (plan.sorted && !options.skip) {
        const found = this.scan(filter, plan, reader).next().value;
        return found ? (project([found.doc], options.projection, filter)[0] as T) : null;
      }
      const all = Array.from(this.scan(filter, plan, reader), (match) => match.doc);
      return (shape(all, { ...options, limit: 1 }, filter)[0] as T | undefined) ?? null;
    });
  }

  async countDocuments(given: Filter = {}, options: ReadOptions = {}): Promise<number> {
    const filter = asSent(given);
    options.signal?.throwIfAborted();
    return this.run("countDocuments", () => {
      if (Object.keys(filter).length === 0) return (this.statement(`SELECT count(*) AS n FROM "${this.table}"`).get() as unknown as { n: number }).n;
      let count = 0;
      for (const _ of this.scan(filter, this.planned("countDocuments", filter))) count++;
      return count;
    });
  }

  /** SQLite counts a table's rows exactly and cheaply, so the estimate is the count. */
  estimatedDocumentCount(): Promise<number> {
    return this.countDocuments();
  }

  async insertOne(doc: T): Promise<{ insertedId: unknown }> {
    return this.run("insertOne", () => this.engine.atomic(() => ({ insertedId: this.insertRow(doc) })));
  }

  async insertMany(docs: T[], options: InsertManyOptions = {}): Promise<InsertManyResult> {
    const ordered = options.ordered ?? true;
    return this.run("insertMany", () =>
      this.engine.atomic(() => {
        const duplicateIndexes: number[] = [];
        this.writeStatements();
        docs.forEach((doc, index) => {
          try {
            // The statements of the moment: a row may have turned an index multikey.
            this.insertRow(doc, this.writes);
          } catch (error) {
            if (ordered || !isUniqueViolation(error)) throw error;
            duplicateIndexes.push(index);
          }
        });
        return { insertedCount: docs.length - duplicateIndexes.length, duplicateIndexes };
      }),
    );
  }

  private insertRow(doc: Doc, writes = this.writeStatements()): unknown {
    const { _id, ...rest } = doc;
    const id = _id ?? new ObjectId();
    const stored = { _id: id, ...rest };
    const { types, values } = cellsOf(stored, writes.layout);
    writes = this.admitArrays(writes, types, values);
    const json = encodeDoc(stored);
    checkDocumentSize(stored, json, `inserting into ${this.name}`);
    this.checkUniqueNulls(writes, types, values, null);
    writes.insert.run(idKey(id), json, types, ...values);
    return id;
  }

  async updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run("updateOne", () => this.engine.atomic(() => this.updateMatches(asSent(filter), asSent(update), options, false)));
  }

  async updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run("updateMany", () => this.engine.atomic(() => this.updateMatches(asSent(filter), asSent(update), options, true)));
  }

  private updateMatches(filter: Filter, update: Update, options: UpdateOptions, many: boolean): UpdateResult {
    const matches = many ? Array.from(this.scan(filter, this.planned("updateMany", filter))) : [this.first("updateOne", filter)].filter((m): m is Match => !!m);
    let modifiedCount = 0;
    for (const match of matches) {
      const before = this.cells(match.doc);
      if (applyUpdate(match.doc, update, false)) {
        this.writeRow(match, before);
        modifiedCount++;
      }
    }
    if (matches.length === 0 && options.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: this.upsert(filter, update)._id };
    return { matchedCount: matches.length, modifiedCount, upsertedId: null };
  }

  /** The inserted document as stored, `_id` first (as MongoDB returns it). */
  private upsert(filter: Filter, update: Update): Doc {
    const seed = upsertSeed(filter);
    applyUpdate(seed, update, true);
    const { _id, ...fields } = seed;
    return { _id: this.insertRow(seed), ...fields };
  }

  private cells(doc: Doc): { types: string; values: CellValue[] } {
    return cellsOf(doc, this.writeStatements().layout);
  }

  /**
   * Rewrites the document, and of the hot columns only those whose value or type changed. SQLite
   * rewrites every index whose columns an UPDATE sets, and every index leads with a type letter
   * from `ctypes`: it is set only when a letter changed, so a changed score touches its own index
   * alone, not all of the table's.
   */
  private writeRow(match: Match, before: { types: string; values: CellValue[] }): void {
    let writes = this.writeStatements();
    const { types, values } = cellsOf(match.doc, writes.layout);
    writes = this.admitArrays(writes, types, values);
    const changed = values.flatMap((value, i) => (value === before.values[i] && types[i] === before.types[i] ? [] : [i]));
    if (changed.length) this.checkUniqueNulls(writes, types, values, match.rid);
    const retyped = types !== before.types;
    const key = `${retyped ? "t" : ""}${changed.join(",")}`;
    let update = writes.updates.get(key);
    if (!update) {
      const sets = [...(retyped ? ["ctypes = ?"] : []), ...changed.map((i) => `"${writes.layout.columns[i]!.name}" = ?`)].map((set) => `, ${set}`).join("");
      update = this.engine.db.prepare(`UPDATE "${this.table}" SET doc = ?${sets} WHERE rid = ?`);
      writes.updates.set(key, update);
    }
    const json = encodeDoc(match.doc);
    checkDocumentSize(match.doc, json, `updating ${this.name}`);
    update.run(json, ...(retyped ? [types] : []), ...changed.map((i) => values[i]), match.rid);
  }

  async findOneAndUpdate(givenFilter: Filter, givenUpdate: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    const filter = asSent(givenFilter);
    const update = asSent(givenUpdate);
    return this.run("findOneAndUpdate", () =>
      this.engine.atomic(() => {
        const match = this.first("findOneAndUpdate", filter, options.sort);
        let result: Doc | null;
        if (match) {
          const before = options.returnDocument === "after" ? undefined : structuredCloneDoc(match.doc);
          const cells = this.cells(match.doc);
          if (applyUpdate(match.doc, update, false)) this.writeRow(match, cells);
          result = before ?? match.doc;
        } else if (options.upsert) {
          const inserted = this.upsert(filter, update);
          result = options.returnDocument === "after" ? inserted : null;
        } else {
          result = null;
        }
        return result ? (project([result], options.projection, filter)[0] as T) : null;
      }),
    );
  }

  async deleteOne(given: Filter): Promise<{ deletedCount: number }> {
    const filter = asSent(given);
    return this.run("deleteOne", () =>
      this.engine.atomic(() => {
        const match = this.first("deleteOne", filter);
        if (match) this.writeStatements().remove.run(match.rid);
        return { deletedCount: match ? 1 : 0 };
      }),
    );
  }

  async deleteMany(given: Filter): Promise<{ deletedCount: number }> {
    const filter = asSent(given);
    return this.run("deleteMany", () =>
      this.engine.atomic(() => {
        const rids = Array.from(this.scan(filter, this.planned("deleteMany", filter)), (match) => match.rid);
        const { remove } = this.writeStatements();
        for (const rid of rids) remove.run(rid);
        return { deletedCount: rids.length };
      }),
    );
  }

  aggregate<R extends Doc = Doc>(given: Pipeline, options: ReadOptions = {}): DocStream<R> {
    if (!Array.isArray(given)) throw new InvalidInputError("an aggregation pipeline must be an array of stages");
    const pipeline = asSent(given);
    const [head, ...rest] = pipeline;
    const leadingMatch = head && "$match" in head ? (head.$match as Filter) : undefined;
    const stages = leadingMatch ? rest : pipeline;
    // Only the parts of each document the pipeline reads are decoded.
    const reader = readerFor(pipelinePaths(pipeline), this.layout);
    const fast = planFastGroup(stages);
    return this.streamOf<R>("aggregate", () => {
      const filter = leadingMatch ?? {};
      const plan = this.plan(filter);
      const inSql = fast ? this.groupInSql(fast.plan, plan) : undefined;
      this.announce("aggregate", plan, undefined, inSql ? "sql" : fast ? "decoded rows" : stages.some((stage) => "$group" in stage) ? "pipeline" : undefined, inSql?.threads);
      if (inSql) return afterGroup(fast!.rest, inSql.groups) as Iterator<R>;
      const source = mapIterator(this.scan(filter, plan, reader), (match) => match.doc);
      if (fast) return afterGroup(fast.rest, runFastGroup(fast.plan, source)) as Iterator<R>;
      return (stages.length ? aggregateStream(stages, source) : source) as Iterator<R>;
    }, options.signal);
  }

  /** The groups computed from hot columns, and how many threads folded them, when the filter and the group allow it. */
  private groupInSql(plan: GroupPlan, scan: ScanPlan): { groups: Doc[]; threads: number } | undefined {
    const group = sqlGroup(plan, this.layout);
    // Only a filter SQL answers exactly leaves no row for mingo to drop.
    if (!group || scan.ids || !scan.exact) return undefined;
    if (group.needsDocuments) {
      const odd = this.statement(`SELECT 1 FROM "${this.table}" WHERE ${scan.where ? `(${scan.where}) AND ` : ""}(${group.needsDocuments}) LIMIT 1`).get(...scan.params);
      if (odd) return undefined;
    }
    // The rowid range lets the rows be folded in parts.
    const sql = `SELECT ${HASH_GROUP_FUNCTION}(${group.args}) FROM "${this.table}"${group.join} WHERE ${scan.where ? `(${scan.where}) AND ` : ""}rid >= ? AND rid < ?`;
    const { found, threads } = this.engine.foldGroups(this.table, this.statement(sql), sql, scan.params, group.spec, Boolean(scan.where));
    const groups = group.finish(found);
    return groups && { groups, threads };
  }

  async createIndexes(specs: IndexSpec[]): Promise<void> {
    await this.run("createIndexes", () => this.engine.catalog.createIndexes(this.name, specs));
  }

  async dropIndex(name: string): Promise<void> {
    await this.run("dropIndex", () => this.engine.catalog.dropIndex(this.name, name));
  }

  async listIndexes(): Promise<IndexSpec[]> {
    return this.run("listIndexes", () => this.engine.listIndexes(this.name));
  }
}

const DONE = Symbol("done");

/** The stages after a group, over its groups: a `$group` of the native shape among them runs natively too. */
function afterGroup(rest: Pipeline, groups: Iterable<Doc>): Iterator<Doc> {
  let stages = rest;
  let docs = groups;
  for (let next = planFastGroup(stages); next; next = planFastGroup(stages)) {
    docs = runFastGroup(next.plan, docs);
    stages = next.rest;
  }
  return stages.length ? aggregateStream(stages, docs) : docs[Symbol.iterator]();
}

function* mapIterator<A, B>(source: Iterable<A>, map: (item: A) => B): Generator<B> {
  for (const item of source) yield map(item);
}

/** A deep copy that keeps Dates and ObjectIds (structuredClone would turn ObjectIds into plain objects). */
function structuredCloneDoc(doc: Doc): Doc {
  return decodeDoc(encodeDoc(doc));
}
