/**
 * The shared import loop. By default an import is all or nothing: every record is validated and
 * written inside one atomic run (one transaction on the embedded engine, a tagged run on MongoDB),
 * so an invalid record, a failure while writing, an interrupt or a killed process leaves the store
 * as it was. With `skipInvalid` the valid records are written and the rejected ones saved, with
 * their reasons, to a new file. With `resume` each batch commits with a checkpoint, and a rerun of
 * the same input continues after the last committed line.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, open } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Socket } from "node:net";
import { addAbortSignal, type Readable } from "node:stream";
import { promisify } from "node:util";
import { pipeline } from "node:stream/promises";
import { InterruptedError, InvalidInputError, LexiError } from "../../errors.js";
import type { Store } from "../../store/store.js";
import { checkOutputPath } from "../files/output-path.js";
import { NewFile } from "../files/new-file.js";
import { fromSystemError } from "../files/system-errors.js";
import { atomically, defaultAtomicity, IMPORT_RUNS, joined, type Atomicity } from "./atomic-run.js";
import { Interruptible } from "./interruptible.js";
import { checkedRecords, checkOffThread, IMPORT_PASSES, type CheckerSpec, type InputRecord } from "./checked-records.js";
import type { OffThreadChecked } from "./checkers.js";
import { readRecords, refusesRecord, type ReadPosition } from "./read-records.js";

export type ImportSource = { path: string } | { stream: Readable };

export interface Importer<T> {
  what: string;
  /** Throws an InvalidInputError (or NotFoundError) for a record that cannot be written. */
  validate(value: unknown, store: Store): T | Promise<T>;
  /** Writes through `store`, which belongs to the import's run. */
  writeBatch(items: T[], store: Store): Promise<Record<string, number>>;
  /** A check that needs no store, which a worker thread runs on a large input; `accept` takes its answer here. */
  offThread?: CheckerSpec & { accept(checked: OffThreadChecked): T };
}

export interface ImportOptions {
  skipInvalid?: boolean;
  /** Where rejected records go with `skipInvalid`; default `<input>.rejected.jsonl` (stdin: ./stdin.rejected.jsonl). */
  rejectedPath?: string;
  batchSize?: number;
  /** Called after each batch: the stage, records read, and bytes read of the input's size (unknown for a pipe). */
  onProgress?: (progress: ImportProgress) => void;
  /** Commit batch by batch with a checkpoint; a rerun with `resume` continues after it. */
  resume?: boolean;
  /** Aborting stops the import at the next record (exit 130 on the CLI). */
  signal?: AbortSignal;
  /** How an all-or-nothing import is undone; by default the engine's own (tests pick one). */
  atomicity?: Atomicity;
}

export interface ImportProgress {
  /** `validating`: a resumable import checks every record before it writes any; `writing` reads, checks and writes. */
  stage: "validating" | "writing";
  records: number;
  bytes: number;
  totalBytes?: number;
}

export interface ImportSummary {
  read: number;
  rejected: number;
  rejected_file: string | null;
  written: Record<string, number>;
  /** With `resume`: the last line an earlier run had committed (0 when starting afresh). */
  resumed_after_line?: number;
}

const MAX_LISTED_ERRORS = 20;
/** Records per write where each batch costs a commit (--resume) or a round trip (MongoDB). */
const BATCH_RECORDS = 1000;
/**
 * Records per write inside one transaction of the embedded engine, where a batch costs neither: a
 * smaller batch is written before its records live through two young-generation collections, so
 * they die young instead of filling the old generation.
 */
const TRANSACTION_BATCH_RECORDS = 250;
/** How often the validating pass reports progress, in records (the writing pass reports per batch). */
const PROGRESS_EVERY = 1000;

export async function importRecords<T>(store: Store, source: ImportSource, importer: Importer<T>, options: ImportOptions = {}): Promise<ImportSummary> {
  const input = await resolveInput(source);
  const spooled = options.resume && input.kind === "stream" ? await spool(await input.open(options.signal), importer.what, options.signal) : undefined;
  const file = spooled ?? (input.kind === "file" ? input : undefined);
  try {
    const rejects = options.skipInvalid ? new NewFile(await rejectsPath(store, input, options.rejectedPath)) : undefined;
    const resumable = options.resume === true && file !== undefined;
    const loop = new ImportLoop(importer, options, batchRecords(store, options, resumable), rejects, file?.size);
    try {
      const openInput = async () => (file !== undefined ? fileStream(file.path, options.signal) : (input as StreamInput).open(options.signal));
      const summary = resumable ? await loop.resumable(store, file.path) : await loop.allOrNothing(store, openInput);
      if (summary.rejected && rejects) await rejects.commit();
      else await rejects?.discard();
      return { ...summary, rejected_file: summary.rejected && rejects ? rejects.path : null };
    } catch (error) {
      await rejects?.discard();
      throw fromSystemError(error) ?? error;
    }
  } finally {
    if (spooled) await rm(spooled.dir, { recursive: true, force: true });
  }
}

/** The records per write: the caller's, or what the way the import commits makes cheapest. */
function batchRecords(store: Store, options: ImportOptions, resumable: boolean): number {
  if (options.batchSize !== undefined) return options.batchSize;
  const oneTransaction = !resumable && store.backend === "embedded" && (options.atomicity ?? defaultAtomicity(store)) === "transaction";
  return oneTransaction ? TRANSACTION_BATCH_RECORDS : BATCH_RECORDS;
}

/**
 * A regular file can be read more than once (a resumable import reads it three times); a pipe, a
 * FIFO or standard input only once, as it arrives.
 */
type Input = ({ kind: "file" } & ReadableFile) | StreamInput;
interface ReadableFile {
  path: string;
  size: number;
}
interface StreamInput {
  kind: "stream";
  /** Names the default rejects file in the working folder. */
  name: string;
  open: (signal?: AbortSignal) => Promise<Readable>;
}

async function resolveInput(source: ImportSource): Promise<Input> {
  if ("stream" in source) return { kind: "stream", name: "stdin", open: async (signal) => (signal ? addAbortSignal(signal, source.stream) : source.stream) };
  const info = await stat(source.path).catch((error: unknown) => {
    throw fromSystemError(error) ?? error;
  });
  if (info.isDirectory()) throw new InvalidInputError(`${source.path} is a folder; give a .jsonl or .json file (or - for standard input)`);
  if (info.isFile()) return { kind: "file", path: source.path, size: info.size };
  if (info.isFIFO()) return { kind: "stream", name: "input", open: (signal) => pipeStream(source.path, signal) };
  return { kind: "stream", name: "input", open: async (signal) => fileStream(source.path, signal) };
}

/**
 * A FIFO (`<(zcat …)`, mkfifo) read through a libuv pipe, not the file-system thread pool: an fs
 * read of a pipe blocks a worker until data comes, so neither Ctrl-C nor the process's exit could
 * stop it. Opening waits for the writer, like `cat` does.
 */
async function pipeStream(path: string, signal: AbortSignal | undefined): Promise<Readable> {
  const fd = await promisify(open)(path, "r");
  const socket = new Socket({ fd, readable: true, writable: false });
  return signal ? addAbortSignal(signal, socket) : socket;
}

function fileStream(path: string, signal: AbortSignal | undefined): Readable {
  return createReadStream(path, { signal });
}

async function rejectsPath(store: Store, input: Input, chosen: string | undefined): Promise<string> {
  // A pipe has no folder of its own: its rejects go to the working folder (stdin.rejected.jsonl, input.rejected.jsonl).
  const path = chosen ?? (input.kind === "stream" ? `${input.name}.rejected.jsonl` : join(dirname(input.path), `${basename(input.path)}.rejected.jsonl`));
  return checkOutputPath(path, {
    flag: chosen ? "--rejected" : "the rejects file",
    inputs: input.kind === "file" ? [input.path] : [],
    storePath: store.backend === "embedded" ? store.location : undefined,
  });
}

/** Copies a one-pass input to a temporary file, so a resumable import can read it again. */
async function spool(stream: Readable, what: string, signal: AbortSignal | undefined): Promise<ReadableFile & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "lexi-import-"));
  const path = join(dir, "input.jsonl");
  try {
    await pipeline(stream, createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (signal?.aborted) throw new InterruptedError(`${what} import interrupted while reading its input: nothing was written`, { cause: error });
    throw error;
  }
  return { dir, path, size: (await stat(path)).size };
}

async function fileDigest(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fileStream(path, signal)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

class ImportLoop<T> {
  private read = 0;
  private invalid = 0;
  private readonly problems: string[] = [];
  private readonly written: Record<string, number> = {};
  private batch: T[] = [];
  private batchFirstLine = 0;
  private lastLine = 0;
  private committedLine = 0;
  /** What a failing batch means for the store, for its message. */
  private outcome = "nothing was written";

  private readonly position: ReadPosition = { bytes: 0 };
  private stage: ImportProgress["stage"] = "writing";

  constructor(
    private readonly importer: Importer<T>,
    private readonly options: ImportOptions,
    private readonly batchSize: number,
    private readonly rejects: NewFile | undefined,
    /** The input's size, when it is a file. */
    private readonly totalBytes?: number,
  ) {}

  /** Everything inside one atomic run; any failure undoes it all. */
  async allOrNothing(store: Store, openInput: () => Promise<Readable>): Promise<ImportSummary> {
    const interrupt = new Interruptible(this.options.signal, () => `${this.importer.what} import interrupted after ${this.read} records: nothing was written (an import is all or nothing; --resume commits as it goes)`);
    await atomically(
      store,
      async (run) => {
        await interrupt.during(async () => {
          for await (const record of this.recordsOf(await openInput())) {
            await interrupt.checkpoint();
            await this.take(record, run, (items) => this.importer.writeBatch(items, run));
          }
        });
        await this.flush((items) => this.importer.writeBatch(items, run));
        this.finish();
        // The rejects are on disk before the records commit: a full disk fails the whole import.
        if (this.invalid) await this.rejects?.finish();
      },
      { atomicity: this.options.atomicity, interrupt },
    );
    return this.summary();
  }

  /** Batch by batch, each with the checkpoint of its last line in the same transaction. */
  async resumable(store: Store, path: string): Promise<ImportSummary> {
    const signal = this.options.signal;
    let after = 0;
    const interrupt = new Interruptible(signal, () => {
      const stored = Math.max(this.committedLine, after);
      const kept = stored > 0 ? `records up to line ${stored} are stored` : "nothing was written";
      return `${this.importer.what} import interrupted: ${kept}; run the same command with --resume to continue`;
    });
    return interrupt.during(async () => {
      const checkpointId = `resume:${this.importer.what}:${await fileDigest(path, signal)}`;
      const runs = store.collection(IMPORT_RUNS);
      after = ((await runs.findOne({ _id: checkpointId }))?.line as number | undefined) ?? 0;
      if (!this.options.skipInvalid) await new ImportLoop(this.importer, { ...this.options, skipInvalid: false }, this.batchSize, undefined, this.totalBytes).validateOnly(store, path, interrupt);
      const commit = (items: T[]) =>
        store.transaction(async (session) => {
          const run = joined(store, session);
          const counts = await this.importer.writeBatch(items, run);
          await run.collection(IMPORT_RUNS).updateOne({ _id: checkpointId }, { $set: { line: this.lastLine, updated: new Date() } }, { upsert: true });
          return counts;
        });
      for await (const record of this.recordsOf(fileStream(path, signal))) {
        await interrupt.checkpoint();
        this.outcome = `records up to line ${this.committedLine} are stored; fix the input and rerun with --resume`;
        if (record.line <= after) {
          this.read++;
          if (this.rejects) await this.rejectIfInvalid(record, store);
          continue;
        }
        await this.take(record, store, commit);
      }
      await this.flush(commit);
      this.finish();
      if (this.invalid) await this.rejects?.finish();
      await runs.deleteOne({ _id: checkpointId });
      return { ...this.summary(), resumed_after_line: after };
    });
  }

  private async validateOnly(store: Store, path: string, interrupt: Interruptible): Promise<void> {
    this.stage = "validating";
    for await (const record of this.recordsOf(fileStream(path, this.options.signal))) {
      await interrupt.checkpoint();
      this.read++;
      if (this.read % PROGRESS_EVERY === 0) this.report();
      await this.rejectIfInvalid(record, store);
    }
    this.finish();
  }

  /** The input's records: checked by a worker thread when the input is large and the importer's check needs no store. */
  private recordsOf(input: Readable): AsyncGenerator<InputRecord> {
    const offThread = this.importer.offThread;
    const threads = offThread && checkOffThread(this.totalBytes) ? 2 : 1;
    if (IMPORT_PASSES.hasSubscribers) IMPORT_PASSES.publish({ what: this.importer.what, threads });
    return threads === 2 ? checkedRecords(input, this.position, { checker: offThread!.checker, strict: offThread!.strict }, this.batchSize, this.options.signal) : readRecords(input, this.position);
  }

  private async take(record: InputRecord, store: Store, write: (items: T[]) => Promise<Record<string, number>>): Promise<void> {
    this.read++;
    const item = await this.rejectIfInvalid(record, store);
    // After the first invalid record (without --skip-invalid) the import will fail: only keep validating, to list the problems.
    if (item === undefined || (this.invalid > 0 && !this.options.skipInvalid)) return;
    if (this.batch.length === 0) this.batchFirstLine = record.line;
    this.batch.push(item);
    this.lastLine = record.line;
    if (this.batch.length >= this.batchSize) await this.flush(write);
  }

  /** The validated item, or undefined after noting why the record is invalid. */
  private async rejectIfInvalid(record: InputRecord, store: Store): Promise<T | undefined> {
    let error = record.error;
    let item: T | undefined;
    if (error === undefined) {
      try {
        item = record.checked ? this.importer.offThread!.accept(record.checked) : await this.importer.validate(record.value, store);
      } catch (caught) {
        if (!refusesRecord(caught)) throw caught;
        error = caught.message;
      }
    }
    if (error === undefined) return item;
    this.invalid++;
    if (this.problems.length < MAX_LISTED_ERRORS) this.problems.push(`line ${record.line}: ${error}`);
    await this.rejects?.write(`${JSON.stringify({ line: record.line, error, record: record.value ?? record.raw })}\n`);
    return undefined;
  }

  private async flush(write: (items: T[]) => Promise<Record<string, number>>): Promise<void> {
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    let counts: Record<string, number>;
    try {
      counts = await write(items);
    } catch (error) {
      // The error keeps its kind (and exit code); its message gains where and what it left.
      if (error instanceof LexiError && error.code !== "interrupted") error.message = `lines ${this.batchFirstLine}–${this.lastLine}: ${error.message}; ${this.outcome}`;
      throw error;
    }
    for (const [key, value] of Object.entries(counts)) this.written[key] = (this.written[key] ?? 0) + value;
    this.committedLine = this.lastLine;
    this.report();
  }

  private report(): void {
    this.options.onProgress?.({ stage: this.stage, records: this.read, bytes: this.position.bytes, totalBytes: this.totalBytes });
  }

  private finish(): void {
    const what = this.importer.what;
    if (this.read === 0) throw new InvalidInputError(`no ${what} records in the input`);
    if (this.invalid > 0 && !this.options.skipInvalid) {
      const more = this.invalid > this.problems.length ? `\n  … and ${this.invalid - this.problems.length} more` : "";
      throw new InvalidInputError(
        `${this.invalid} of ${this.read} ${what} records are invalid; nothing was written (use --skip-invalid to write the valid ones):\n  ${this.problems.join("\n  ")}${more}`,
        { details: this.problems },
      );
    }
  }

  private summary(): ImportSummary {
    return { read: this.read, rejected: this.invalid, rejected_file: null, written: this.written };
  }
}
