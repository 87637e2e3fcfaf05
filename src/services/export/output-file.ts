/**
 * Where export lines go. Files are written under a temporary name and renamed only when
 * complete, so an interrupted export never leaves a partial file under the real name.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { once } from "node:events";
import type { Writable } from "node:stream";

export interface LineSink {
  /** Waits while the destination is full; an abort stops the wait. */
  write(line: string, signal?: AbortSignal): Promise<void>;
  /** Completes the output; returns the sha256 of what was written. */
  commit(): Promise<string>;
  abort(): Promise<void>;
}

async function writeWithBackpressure(stream: Writable, text: string, signal?: AbortSignal): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain", { signal });
}

const TEMP_NAME = /^\.(.+)\.(\d+)-[0-9a-f]{6}\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temporary files that earlier writes of `names` in `folder` left when their process was
 * killed (a file being written by a live process is left alone).
 */
export async function removeStaleTemporaries(folder: string, names: string[]): Promise<void> {
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    const match = TEMP_NAME.exec(entry);
    if (match && names.includes(match[1]!) && !alive(Number(match[2]))) await rm(join(folder, entry), { force: true });
  }
}

export class AtomicFile implements LineSink {
  private readonly hash = createHash("sha256");
  private readonly stream: WriteStream;
  readonly tempPath: string;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(3).toString("hex")}.tmp`);
    this.stream = createWriteStream(this.tempPath);
    this.stream.on("error", (error) => {
      this.failure = error;
    });
  }

  async write(line: string, signal?: AbortSignal): Promise<void> {
    if (this.failure) throw this.failure;
    this.hash.update(line);
    await writeWithBackpressure(this.stream, line, signal);
  }

  async commit(): Promise<string> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, "finish");
    const handle = await open(this.tempPath, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tempPath, this.path);
    return this.hash.digest("hex");
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}

/** Standard output (`--out -`): nothing but data lines. */
export class StreamSink implements LineSink {
  private readonly hash = createHash("sha256");

  constructor(private readonly stream: Writable) {}

  async write(line: string, signal?: AbortSignal): Promise<void> {
    this.hash.update(line);
    await writeWithBackpressure(this.stream, line, signal);
  }

  async commit(): Promise<string> {
    return this.hash.digest("hex");
  }

  async abort(): Promise<void> {}
}
