/**
 * Inputs that are read once (a named pipe, standard input) and files that can be read again: how
 * each is read, where its rejects go, and when a resumable import needs a copy of it.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { ImportProgress } from "../../src/services/import/import-records.js";
import { importInteractions } from "../../src/services/intake-import.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir("lexi-inputs-");
afterAll(cleanup);
const store = memoryStorePerTest();
const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** A named pipe fed `text` by a child process, as `<(zcat …)` is; `work` gets its path. */
async function throughPipe<R>(name: string, text: string, work: (path: string) => Promise<R>): Promise<R> {
  const fifo = join(dir, name);
  execFileSync("mkfifo", [fifo]);
  writeFileSync(`${fifo}.source`, text);
  const writer: ChildProcess = spawn("sh", ["-c", `cat '${fifo}.source' > '${fifo}'`], { detached: true, stdio: "ignore" });
  try {
    return await work(fifo);
  } finally {
    if (writer.exitCode === null) process.kill(-writer.pid!, "SIGKILL");
  }
}

/** Runs `work` with the system's temporary folder set to an empty folder of its own, which it gets. */
async function withTmpdir<R>(name: string, work: (tmp: string) => Promise<R>): Promise<R> {
  const tmp = join(dir, name);
  mkdirSync(tmp);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return await work(tmp);
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

describe("a named pipe", () => {
  it("is read to its end, with no signal to stop it", async () => {
    const summary = await throughPipe("plain.fifo", jsonl(demoInteractions(5, 81)), (path) => importInteractions(store, { path }));
    expect(summary).toMatchObject({ read: 5, rejected: 0, written: { inserted: 5 } });
  });

  it("has its rejects written to the working folder as input.rejected.jsonl", async () => {
    const records: unknown[] = demoInteractions(3, 82);
    records[0] = { broken: true };
    const rejects = resolve("input.rejected.jsonl");
    try {
      const summary = await throughPipe("mixed.fifo", jsonl(records), (path) => importInteractions(store, { path }, { skipInvalid: true }));
      expect(summary).toMatchObject({ read: 3, rejected: 1, rejected_file: rejects });
      expect(JSON.parse(readFileSync(rejects, "utf8"))).toMatchObject({ line: 1, record: { broken: true } });
    } finally {
      rmSync(rejects, { force: true });
    }
  });

  it("with --resume is copied aside and read again from the copy", async () => {
    const summary = await withTmpdir("tmp-fifo", async (tmp) => {
      const result = await throughPipe("resume.fifo", jsonl(demoInteractions(4, 83)), (path) => importInteractions(store, { path }, { resume: true }));
      expect(readdirSync(tmp)).toEqual([]);
      return result;
    });
    expect(summary).toMatchObject({ read: 4, resumed_after_line: 0, written: { inserted: 4 } });
  });
});

describe("a resumable import", () => {
  it("of a regular file reads it in place, without a copy", async () => {
    const path = join(dir, "in-place.jsonl");
    writeFileSync(path, jsonl(demoInteractions(30, 84)));
    const during: string[][] = [];
    await withTmpdir("tmp-file", (tmp) => importInteractions(store, { path }, { resume: true, batchSize: 10, onProgress: () => during.push(readdirSync(tmp)) }));
    expect(during).toHaveLength(3);
    expect(during.flat()).toEqual([]);
  });

  it("of standard input measures its progress against the size of the copy", async () => {
    const text = jsonl(demoInteractions(30, 85));
    const seen: ImportProgress[] = [];
    await withTmpdir("tmp-stdin", () => importInteractions(store, { stream: Readable.from([text]) }, { resume: true, batchSize: 10, onProgress: (progress) => seen.push(progress) }));
    expect(seen.map((progress) => [progress.records, progress.totalBytes])).toEqual([10, 20, 30].map((records) => [records, Buffer.byteLength(text)]));
  });

  it("an all-or-nothing import of standard input has no size to measure against", async () => {
    const seen: ImportProgress[] = [];
    await importInteractions(store, { stream: Readable.from([jsonl(demoInteractions(20, 86))]) }, { batchSize: 10, onProgress: (progress) => seen.push(progress) });
    expect(seen.map((progress) => progress.totalBytes)).toEqual([undefined, undefined]);
  });
});

describe("a device", () => {
  it("has its rejects file in the working folder, named input.rejected.jsonl, checked before reading", async () => {
    const planted = resolve("input.rejected.jsonl");
    symlinkSync(join(dir, "nowhere"), planted);
    try {
      await expect(importInteractions(store, { path: "/dev/null" }, { skipInvalid: true })).rejects.toThrow(
        "the rejects file input.rejected.jsonl: is a symbolic link, and lexi does not follow links for files it writes; choose another file",
      );
    } finally {
      rmSync(planted, { force: true });
    }
  });
});
