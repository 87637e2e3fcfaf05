/**
 * `--resume`: each batch commits with a checkpoint of its last line; a rerun of the same input
 * continues after it. What an interrupt or a failure keeps, what the messages say, and how the
 * rejects and the counts of a resumed run add up.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { ObjectId } from "bson";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError, InterruptedError, InvalidInputError } from "../../src/errors.js";
import { IMPORT_RUNS } from "../../src/services/import/atomic-run.js";
import type { ImportProgress } from "../../src/services/import/import-records.js";
import { importInteractions } from "../../src/services/intake-import.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir("lexi-resume-");
afterAll(cleanup);
const store = memoryStorePerTest();

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
let files = 0;
function file(records: unknown[]): string {
  const path = join(dir, `input-${++files}.jsonl`);
  writeFileSync(path, jsonl(records));
  return path;
}
const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as Error);
const stored = () => store.collection(COLLECTIONS.interactions).countDocuments();
const checkpoints = () => store.collection(IMPORT_RUNS).countDocuments();

/** Aborts once the import reports, in `stage`, at least `after` records. */
function abortAt(stage: ImportProgress["stage"], after: number) {
  const controller = new AbortController();
  return { signal: controller.signal, onProgress: (progress: ImportProgress) => progress.stage === stage && progress.records >= after && controller.abort() };
}

describe("an interrupted resumable import", () => {
  it("stopped while checking the input, before any batch: says nothing was written and how to continue", async () => {
    const path = file(demoInteractions(1100));
    const error = await failure(importInteractions(store, { path }, { resume: true, batchSize: 100, ...abortAt("validating", 1000) }));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe("interaction import interrupted: nothing was written; run the same command with --resume to continue");
    expect(await stored()).toBe(0);
    expect(await checkpoints()).toBe(0);
  });

  it("stopped again before its first batch: names the line the earlier run stored up to", async () => {
    const path = file(demoInteractions(1100));
    const first = await failure(importInteractions(store, { path }, { resume: true, batchSize: 100, ...abortAt("writing", 300) }));
    const kept = await stored();
    expect(first.message).toBe(`interaction import interrupted: records up to line ${kept} are stored; run the same command with --resume to continue`);
    expect(kept).toBeGreaterThanOrEqual(300);
    const second = await failure(importInteractions(store, { path }, { resume: true, batchSize: 100, ...abortAt("validating", 1000) }));
    expect(second.message).toBe(`interaction import interrupted: records up to line ${kept} are stored; run the same command with --resume to continue`);
    expect(await stored()).toBe(kept);
  });

  it("continues after its checkpoint: counts every line read, writes only the rest, and leaves no checkpoint", async () => {
    const path = file(demoInteractions(700));
    await failure(importInteractions(store, { path }, { resume: true, batchSize: 100, ...abortAt("writing", 200) }));
    const kept = await stored();
    expect(await checkpoints()).toBe(1);
    const summary = await importInteractions(store, { path }, { resume: true, batchSize: 100 });
    expect(summary).toMatchObject({ read: 700, rejected: 0, resumed_after_line: kept, written: { inserted: 700 - kept, duplicates: 0 } });
    expect(await stored()).toBe(700);
    expect(await checkpoints()).toBe(0);
  });

  it("does not take another input's checkpoint: a changed file starts afresh", async () => {
    const records = demoInteractions(600);
    const path = file(records);
    await failure(importInteractions(store, { path }, { resume: true, batchSize: 100, ...abortAt("writing", 200) }));
    const kept = await stored();
    const changed = file([...records, ...demoInteractions(1, 99)]);
    const summary = await importInteractions(store, { path: changed }, { resume: true, batchSize: 100 });
    expect(summary).toMatchObject({ read: 601, resumed_after_line: 0, written: { inserted: 601 - kept, duplicates: kept } });
    // The first input's checkpoint stays, for a rerun of that input.
    expect(await checkpoints()).toBe(1);
  });
});

describe("a resumable import that fails", () => {
  it("on an invalid record writes nothing at all: every record is checked before the first batch", async () => {
    const records: unknown[] = demoInteractions(300);
    records[250] = { broken: true };
    const error = await failure(importInteractions(store, { path: file(records) }, { resume: true, batchSize: 100 }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/^1 of 300 interaction records are invalid; nothing was written \(use --skip-invalid to write the valid ones\):\n {2}line 251: invalid interaction/);
    expect(await stored()).toBe(0);
    expect(await checkpoints()).toBe(0);
  });

  it("while writing a later batch keeps the earlier batches and says where to continue", async () => {
    const taken = new ObjectId();
    await logInteraction(store, { ...demoInteractions(1, 3)[0]!, _id: { $oid: taken.toHexString() } });
    const records = demoInteractions(500);
    records[320] = { ...records[320]!, _id: taken.toHexString() } as never;
    const path = file(records);
    const error = await failure(importInteractions(store, { path }, { resume: true, batchSize: 100 }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/^lines 301–400: interaction id \S+ is already used.*; records up to line 300 are stored; fix the input and rerun with --resume$/s);
    expect(await stored()).toBe(1 + 300);

    records[320] = demoInteractions(1, 4)[0]!;
    const summary = await importInteractions(store, { path: file(records) }, { resume: true, batchSize: 100 });
    expect(summary.written).toMatchObject({ inserted: 200, duplicates: 300 });
    expect(await stored()).toBe(501);
  });
});

describe("a resumable import with --skip-invalid", () => {
  it("writes the rejects of the whole input on the rerun, those before the checkpoint included", async () => {
    const here = join(dir, "rejects-case");
    mkdirSync(here);
    const records: unknown[] = demoInteractions(600);
    for (const line of [5, 150, 420]) records[line - 1] = { broken: line };
    const path = join(here, "data.jsonl");
    writeFileSync(path, jsonl(records));
    await failure(importInteractions(store, { path }, { resume: true, skipInvalid: true, batchSize: 100, ...abortAt("writing", 250) }));
    const kept = await stored();
    expect(kept).toBeGreaterThan(150);
    expect(kept).toBeLessThan(420);
    expect(readdirSync(here)).toEqual(["data.jsonl"]);

    const summary = await importInteractions(store, { path }, { resume: true, skipInvalid: true, batchSize: 100 });
    expect(summary).toMatchObject({ read: 600, rejected: 3, rejected_file: `${path}.rejected.jsonl` });
    expect(summary.written.inserted).toBe(597 - kept);
    const rejected = readFileSync(`${path}.rejected.jsonl`, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(rejected.map((entry) => [entry.line, entry.record.broken])).toEqual([[5, 5], [150, 150], [420, 420]]);
    expect(await stored()).toBe(597);
  });
});

describe("a resumable import from standard input", () => {
  it("copies the input aside first, so it can be read again, and removes the copy", async () => {
    const tmp = join(dir, "tmp-ok");
    mkdirSync(tmp);
    const summary = await withTmpdir(tmp, () => importInteractions(store, { stream: Readable.from([jsonl(demoInteractions(250))]) }, { resume: true, batchSize: 100 }));
    expect(summary).toMatchObject({ read: 250, resumed_after_line: 0, written: { inserted: 250 } });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("interrupted while the input is still arriving: nothing was written, and the copy is removed", async () => {
    const tmp = join(dir, "tmp-interrupted");
    mkdirSync(tmp);
    const input = new PassThrough();
    input.write(jsonl(demoInteractions(10)));
    const controller = new AbortController();
    const error = await withTmpdir(tmp, async () => {
      const running = failure(importInteractions(store, { stream: input }, { resume: true, signal: controller.signal }));
      await until(() => readdirSync(tmp).length > 0 && readdirSync(join(tmp, readdirSync(tmp)[0]!)).length > 0);
      controller.abort();
      return running;
    });
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe("interaction import interrupted while reading its input: nothing was written");
    expect(readdirSync(tmp)).toEqual([]);
    expect(await stored()).toBe(0);
  });

  it("whose input fails: the input's own error, and the copy is removed", async () => {
    const tmp = join(dir, "tmp-failed");
    mkdirSync(tmp);
    const broken = new Error("the upstream program crashed");
    const input = new Readable({ read() {} });
    input.push(jsonl(demoInteractions(3)));
    setTimeout(() => input.destroy(broken), 20);
    const error = await withTmpdir(tmp, () => failure(importInteractions(store, { stream: input }, { resume: true })));
    expect(error).toBe(broken);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Runs `work` with the system's temporary folder set to `path`. */
async function withTmpdir<R>(path: string, work: () => Promise<R>): Promise<R> {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = path;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

describe("checkpoints of several inputs", () => {
  it("finishing one input leaves the others' checkpoints: each rerun still continues after its own", async () => {
    const first = file(demoInteractions(500, 21));
    await failure(importInteractions(store, { path: first }, { resume: true, batchSize: 100, ...abortAt("writing", 200) }));
    const kept = await stored();
    await importInteractions(store, { path: file(demoInteractions(50, 22)) }, { resume: true, batchSize: 100 });
    const summary = await importInteractions(store, { path: first }, { resume: true, batchSize: 100 });
    expect(summary).toMatchObject({ read: 500, resumed_after_line: kept, written: { inserted: 500 - kept } });
    expect(await checkpoints()).toBe(0);
  });
});

describe("an interrupt while standard input is copied aside", () => {
  it("keeps the aborted read as its cause", async () => {
    const tmp = join(dir, "tmp-cause");
    mkdirSync(tmp);
    const input = new PassThrough();
    input.write(jsonl(demoInteractions(2)));
    const controller = new AbortController();
    const error = await withTmpdir(tmp, async () => {
      const running = failure(importInteractions(store, { stream: input }, { resume: true, signal: controller.signal }));
      await until(() => readdirSync(tmp).length > 0 && readdirSync(join(tmp, readdirSync(tmp)[0]!)).length > 0);
      controller.abort();
      return running;
    });
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error.cause as Error).name).toBe("AbortError");
  });
});
