/**
 * The records of a large import, read and checked by a worker thread (check-worker.ts) while
 * this thread writes the ones before: on two cores, checking no longer adds to writing. This
 * thread reads the input and hands its chunks on, a bounded number ahead of the worker, so memory
 * stays flat; the records come back in input order, each checked or with its error.
 */
import { channel } from "node:diagnostics_channel";
import { existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CheckerName, OffThreadChecked } from "./checkers.js";
import { fromPortable } from "./portable-values.js";
import type { RawRecord, ReadPosition } from "./read-records.js";

/** A record from the input: read (and possibly refused) by readRecords, or already checked by the worker. */
export interface InputRecord extends RawRecord {
  checked?: OffThreadChecked;
}

/** A record as the worker sends it: checked, or refused with its error. */
export interface CheckedLine {
  line: number;
  raw?: string;
  value?: unknown;
  error?: string;
  checked?: OffThreadChecked;
}

export type ToChecker = { type: "chunk"; chunk: Uint8Array } | { type: "end" };
/** `taken`: the bytes of input the worker has used up. */
type FromChecker = { type: "records" | "end"; taken?: number; records: CheckedLine[] };

export interface CheckerSpec {
  checker: CheckerName;
  strict: boolean;
}

/** Each pass over an import's input says how many threads read it: `{ what, threads }`. */
export const IMPORT_PASSES = channel("lexi:import");

const WORKER_FILE = fileURLToPath(new URL("./check-worker.js", import.meta.url));
/** A smaller file is checked here: starting the worker (loading the schemas again) costs more than it saves. */
const MIN_FILE_BYTES = 1024 * 1024;
/**
 * Input handed to the worker and not yet taken, per record of a batch: room for the worker to
 * check the next batch of records up to this size while this thread, busy writing one, hands it
 * nothing. Not more: its checked records wait here as objects, and objects that wait through two
 * young-generation collections are copied to the old one.
 */
const AHEAD_BYTES_PER_RECORD = 4096;

/** Whether an input of `bytes` (undefined: a pipe, of unknown length) is checked by a worker; only the built package ships one. */
export function checkOffThread(bytes: number | undefined): boolean {
  return (bytes === undefined || bytes >= MIN_FILE_BYTES) && existsSync(WORKER_FILE);
}

/**
 * Reads `input` to its end, counting in `position` the bytes read, and yields its records checked
 * by a worker thread. Reading runs beside the yielding, so records already checked come out even
 * while the input (a pipe) has nothing more to give; an abort of `signal` stops the wait at once,
 * also while the worker is still busy with a JSON array it must read whole.
 */
export async function* checkedRecords(input: Readable, position: ReadPosition, spec: CheckerSpec, batchRecords: number, signal?: AbortSignal): AsyncGenerator<InputRecord> {
  // No inherited flags: some (--input-type, -e) only make sense for the main thread.
  const worker = new Worker(WORKER_FILE, { workerData: spec, execArgv: [] });
  const inbox = new Inbox(worker);
  const ahead = new Ahead(batchRecords * AHEAD_BYTES_PER_RECORD);
  const abort = () => inbox.fail(signal!.reason as Error);
  signal?.addEventListener("abort", abort, { once: true });
  const reading = (async () => {
    for await (const piece of input as AsyncIterable<Buffer | string>) {
      // A chunk may be a view of a larger (pooled) buffer, which posting would copy whole and
      // moving would take from its other users: its own bytes are copied out and moved. A
      // stream with an encoding gives text.
      const chunk = typeof piece === "string" ? new TextEncoder().encode(piece) : new Uint8Array(piece);
      // Counted before moving it: a moved array is empty here.
      const bytes = chunk.length;
      position.bytes += bytes;
      worker.postMessage({ type: "chunk", chunk } satisfies ToChecker, [chunk.buffer]);
      if (!(await ahead.handed(bytes))) return;
    }
    worker.postMessage({ type: "end" } satisfies ToChecker);
  })().catch((error: unknown) => inbox.fail(error as Error));
  try {
    for (;;) {
      const message = await inbox.next();
      for (const line of message.records) yield received(line);
      if (message.type === "end") return;
      ahead.taken(message.taken!);
    }
  } finally {
    signal?.removeEventListener("abort", abort);
    ahead.stop();
    // Settles a read still waiting on a pipe.
    input.destroy();
    await reading;
    await worker.terminate();
  }
}

/** Bytes handed to the worker and not yet taken, at most `maxBytes`: reading waits for room. */
class Ahead {
  private handedBytes = 0;
  private takenBytes = 0;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Counts the bytes of a chunk handed on, then waits for room; false once stopped. */
  async handed(bytes: number): Promise<boolean> {
    this.handedBytes += bytes;
    while (!this.stopped && this.handedBytes - this.takenBytes >= this.maxBytes) await new Promise<void>((resolve) => (this.wake = resolve));
    return !this.stopped;
  }

  taken(bytes: number): void {
    this.takenBytes = bytes;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}

function received(line: CheckedLine): InputRecord {
  const record: InputRecord = { line: line.line, raw: line.raw ?? "" };
  if (line.error !== undefined) record.error = line.error;
  if (line.value !== undefined) record.value = line.value;
  if (line.checked) record.checked = fromPortable(line.checked) as OffThreadChecked;
  return record;
}

/** The worker's messages in order; a failure of the worker (an error, an exit before its end) is thrown by the next read. */
class Inbox {
  private readonly messages: FromChecker[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(worker: Worker) {
    worker.on("message", (message: FromChecker) => {
      this.messages.push(message);
      this.wake?.();
    });
    worker.on("error", (error) => {
      this.failure ??= new Error(`the import's checking thread failed: ${error.message}`, { cause: error });
      this.wake?.();
    });
    worker.on("exit", (code) => {
      this.failure ??= new Error(`the import's checking thread stopped (exit code ${code}) before the end of its input`);
      this.wake?.();
    });
  }

  /** A failure of the input, thrown by the next read. */
  fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  async next(): Promise<FromChecker> {
    for (;;) {
      const message = this.messages.shift();
      if (message) return message;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
