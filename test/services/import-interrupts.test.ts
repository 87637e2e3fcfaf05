/**
 * Ctrl-C (an aborted signal) during an all-or-nothing import: it stops at the next record, even
 * while the import waits on a pipe that sends nothing, says how far it got, and leaves the store as
 * it was. The shared import loop is driven here by a small importer of numbered notes, so a test
 * can see exactly when each record is checked.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError, InterruptedError, InvalidInputError, StoreUnavailableError } from "../../src/errors.js";
import { importRecords, type Importer, type ImportSource } from "../../src/services/import/import-records.js";
import { Interruptible } from "../../src/services/import/interruptible.js";
import { importInteractions } from "../../src/services/intake-import.js";
import type { Atomicity } from "../../src/services/import/atomic-run.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir("lexi-interrupts-");
afterAll(cleanup);
const store = memoryStorePerTest();

const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as Error);
/** Notes go to a collection every store has; its own schema is not involved at this level. */
const NOTES = COLLECTIONS.metrics;
const notes = () => store.collection(NOTES);
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `{"n": ${from + i}}\n`).join("");

/** Numbered notes: `{n}` with a whole n; `check` runs on each record as it is validated. */
function noteImporter(check: (n: number) => void = () => undefined): Importer<{ _id: string; n: number }> {
  return {
    what: "note",
    validate: (value) => {
      const n = (value as { n?: unknown }).n;
      if (!Number.isInteger(n)) throw new InvalidInputError("n must be a whole number");
      check(n as number);
      return { _id: `note-${n}`, n: n as number };
    },
    writeBatch: (items, run) =>
      run.transaction(async (session) => {
        await session.collection(NOTES).insertMany(items);
        return { written: items.length };
      }),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("an interrupt point", () => {
  it("lets a pending Ctrl-C in during a long run of work chained only by promises, and stops there", async () => {
    const controller = new AbortController();
    const interrupt = new Interruptible(controller.signal, () => "stopped: nothing was written");
    setTimeout(() => controller.abort(), 0);
    const started = Date.now();
    let units = 0;
    const error = await failure(
      (async () => {
        // No timer can fire inside this loop unless the interrupt point gives the event loop a turn.
        while (Date.now() - started < 3000) {
          await interrupt.checkpoint();
          units++;
        }
      })(),
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe("stopped: nothing was written");
    expect(units).toBeGreaterThan(0);
  });

  it("lets work run to its end when nothing is aborted, or when there is no signal", async () => {
    for (const signal of [new AbortController().signal, undefined]) {
      const interrupt = new Interruptible(signal, () => "stopped");
      let units = 0;
      for (let i = 0; i < 100; i++) {
        await interrupt.checkpoint();
        units++;
      }
      expect(units).toBe(100);
      await expect(interrupt.during(async () => "done")).resolves.toBe("done");
    }
  });

  it("after an abort, turns the failure it caused (an aborted read) into the interrupt, keeping it as the cause", async () => {
    const controller = new AbortController();
    const interrupt = new Interruptible(controller.signal, () => "stopped while reading");
    const before = new Error("a failure of its own");
    expect(await failure(interrupt.during(() => Promise.reject(before)))).toBe(before);
    controller.abort();
    const aborted = new Error("The operation was aborted");
    const error = await failure(interrupt.during(() => Promise.reject(aborted)));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe("stopped while reading");
    expect(error.cause).toBe(aborted);
    const own = new InterruptedError("stopped at record 7");
    expect(await failure(interrupt.during(() => Promise.reject(own)))).toBe(own);
  });
});

describe("an all-or-nothing import interrupted", () => {
  it("while it waits on standard input that sends nothing more: stops, says how many records it read, writes nothing", async () => {
    const input = new PassThrough();
    input.write(lines(1, 3));
    const controller = new AbortController();
    let checked = 0;
    const running = importRecords(store, { stream: input }, noteImporter(() => checked++), { signal: controller.signal, batchSize: 2 });
    await until(() => checked === 3);
    controller.abort();
    const error = await failure(running);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe("note import interrupted after 3 records: nothing was written (an import is all or nothing; --resume commits as it goes)");
    expect(await notes().countDocuments()).toBe(0);
    expect(input.destroyed).toBe(true);
  });

  it("while it waits on a named pipe (like <(zcat …)) whose writer sends nothing more", async () => {
    const fifo = join(dir, "feed.jsonl");
    execFileSync("mkfifo", [fifo]);
    writeFileSync(join(dir, "part.jsonl"), lines(1, 5));
    const writer: ChildProcess = spawn("sh", ["-c", `(cat part.jsonl; sleep 60) > feed.jsonl`], { cwd: dir, detached: true, stdio: "ignore" });
    try {
      const controller = new AbortController();
      let checked = 0;
      const running = importRecords(store, { path: fifo }, noteImporter(() => checked++), { signal: controller.signal });
      await until(() => checked === 5);
      controller.abort();
      const error = await failure(running);
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error.message).toMatch(/^note import interrupted after 5 records: nothing was written/);
      expect(await notes().countDocuments()).toBe(0);
    } finally {
      process.kill(-writer.pid!, "SIGKILL");
    }
  });

  it.each<Atomicity>(["transaction", "tagged"])("while a batch is being written (%s): the message is the interrupt's own, and nothing is kept", async (atomicity) => {
    const controller = new AbortController();
    // The abort lands as the tenth record, the last of the first batch, is checked: the batch then goes to be written.
    const importer = noteImporter((n) => n === 10 && controller.abort());
    const error = await failure(importRecords(store, { stream: PassThrough.from([lines(1, 25)]) }, importer, { signal: controller.signal, batchSize: 10, atomicity }));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toBe("note import interrupted after 10 records: nothing was written (an import is all or nothing; --resume commits as it goes)");
    expect(await notes().countDocuments()).toBe(0);
    expect(await store.collection("import_runs").countDocuments()).toBe(0);
  });

  it("an interactions import stopped from its progress report keeps nothing", async () => {
    const path = join(dir, "interactions.jsonl");
    writeFileSync(path, demoInteractions(600).map((record) => JSON.stringify(record)).join("\n"));
    const controller = new AbortController();
    const error = await failure(importInteractions(store, { path }, { batchSize: 100, signal: controller.signal, onProgress: ({ records }) => records >= 200 && controller.abort() }));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toMatch(/^interaction import interrupted after 2\d\d records: nothing was written/);
    expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
  });
});

describe("a failure while writing", () => {
  const failingImporter = (failure: Error): Importer<{ _id: string; n: number }> => ({
    ...noteImporter(),
    writeBatch: async (items, run) => {
      if (items.some((item) => item.n === 15)) throw failure;
      await run.collection(NOTES).insertMany(items);
      return { written: items.length };
    },
  });
  const run = (importer: Importer<{ _id: string; n: number }>, source: ImportSource = { stream: PassThrough.from([lines(1, 30)]) }) =>
    failure(importRecords(store, source, importer, { batchSize: 10 }));

  it("of lexi's kind names the batch's lines and what was kept, keeping its kind", async () => {
    const error = await run(failingImporter(new ConflictError("note id note-15 is already used")));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe("lines 11–20: note id note-15 is already used; nothing was written");
    expect(await notes().countDocuments()).toBe(0);
  });

  it("of the operating system is translated (a full disk), and any other error is left as it is", async () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
    const error = await run(failingImporter(full));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toBe("write: the disk is full: free some space and run the command again");
    expect(error.cause).toBe(full);
    const bug = new TypeError("a bug");
    expect(await run(failingImporter(bug))).toBe(bug);
    expect(bug.message).toBe("a bug");
    expect(await notes().countDocuments()).toBe(0);
  });

  it("while checking a record, when it is not the record's fault, stops the import instead of rejecting the record", async () => {
    const down = new StoreUnavailableError("the store went away");
    const importer = noteImporter((n) => {
      if (n === 2) throw down;
    });
    expect(await failure(importRecords(store, { stream: PassThrough.from([lines(1, 3)]) }, importer, { skipInvalid: true, rejectedPath: join(dir, "never.jsonl") }))).toBe(down);
    expect(await notes().countDocuments()).toBe(0);
  });
});

describe("inputs that are not regular files", () => {
  it("a folder is refused with what to give instead; an empty device has no records", async () => {
    const folder = await failure(importRecords(store, { path: dir }, noteImporter()));
    expect(folder).toBeInstanceOf(InvalidInputError);
    expect(folder.message).toBe(`${dir} is a folder; give a .jsonl or .json file (or - for standard input)`);
    const empty = await failure(importRecords(store, { path: "/dev/null" }, noteImporter()));
    expect(empty.message).toBe("no note records in the input");
  });
});
