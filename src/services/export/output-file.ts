/**
 * Where export lines go: a file inside the dataset folder being built, or a stream.
 */
import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { once } from "node:events";
import type { Writable } from "node:stream";

export interface LineSink {
  /** Waits while the destination is full; an abort stops the wait. */
  write(text: string | Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Completes the output (on disk: flushed and fsynced); returns the sha256 of what was written. */
  commit(): Promise<string>;
  abort(): void;
}

const READER_GONE = "the reader of the export went away";

/** Waits for room when the stream is full; a stream closed meanwhile (its reader gone) fails the write. */
async function writeWithBackpressure(stream: Writable, text: string | Uint8Array, signal?: AbortSignal): Promise<void> {
  if (stream.write(text)) return;
  const settled = new AbortController();
  const stop = signal ? AbortSignal.any([signal, settled.signal]) : settled.signal;
  try {
    await Promise.race([
      once(stream, "drain", { signal: stop }),
      once(stream, "close", { signal: stop }).then(() => Promise.reject(new Error(READER_GONE))),
    ]);
  } finally {
    settled.abort();
  }
}

/** Flushes a file or folder to the disk, so a rename that follows publishes complete data. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A new file (never an existing one: `wx`) in a folder that is not visible yet. */
export class FileSink implements LineSink {
  private readonly hash = createHash("sha256");
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: "wx" });
    this.stream.on("error", (error) => {
      this.failure = error;
    });
  }

  async write(text: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    if (this.failure) throw this.failure;
    this.hash.update(text);
    await writeWithBackpressure(this.stream, text, signal);
  }

  async commit(): Promise<string> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await Promise.race([
      once(this.stream, "finish"),
      once(this.stream, "error").then(([error]) => Promise.reject(error as Error)),
    ]);
    await fsyncPath(this.path);
    return this.hash.digest("hex");
  }

  abort(): void {
    this.stream.destroy();
  }
}

/** Standard output (`--out -`) or an HTTP body: nothing but data lines. */
export class StreamSink implements LineSink {
  private readonly hash = createHash("sha256");

  constructor(private readonly stream: Writable) {}

  async write(text: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    if (this.stream.destroyed) throw new Error(READER_GONE);
    this.hash.update(text);
    await writeWithBackpressure(this.stream, text, signal);
  }

  async commit(): Promise<string> {
    return this.hash.digest("hex");
  }

  abort(): void {}
}
