/**
 * A file lexi creates for the user (the rejects of an import): written under a temporary name in
 * the same folder, opened with O_EXCL | O_NOFOLLOW so no planted file or link is followed, and
 * renamed over the real name only when complete. Write errors surface as typed errors on the next
 * write or on commit, never as an unhandled 'error' event.
 */
import { constants } from "node:fs";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { fromSystemError } from "./system-errors.js";

const FLUSH_AT = 64 * 1024;

export class NewFile {
  private handle?: FileHandle;
  private buffered: string[] = [];
  private size = 0;
  private finished = false;
  readonly tempPath: string;

  /** `path` must have passed `checkOutputPath`. */
  constructor(readonly path: string) {
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(3).toString("hex")}.tmp`);
  }

  async write(text: string): Promise<void> {
    this.buffered.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  /** Writes what is left and closes the file, still under its temporary name (a full disk fails here). */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.flush();
    await this.guard(async () => {
      await this.handle?.sync();
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  /** Gives the finished file its real name. */
  async commit(): Promise<void> {
    await this.finish();
    await this.guard(() => rename(this.tempPath, this.path));
  }

  /** Removes the temporary file; the real name is left as it was. */
  async discard(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.tempPath, { force: true });
  }

  private async flush(): Promise<void> {
    await this.guard(async () => {
      this.handle ??= await open(this.tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      const text = this.buffered.join("");
      this.buffered = [];
      this.size = 0;
      if (text) await this.handle.write(text);
    });
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw fromSystemError(error) ?? error;
    }
  }
}
