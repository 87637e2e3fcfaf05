/**
 * The shared import loop's answers when records are invalid: which problems the user is told
 * about, what the error carries for `--json`, and how batches are cut.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ObjectId } from "bson";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { importInteractions } from "../../src/services/intake-import.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { memoryStorePerTest } from "../helpers/memory-store.js";

const { dir, cleanup } = tempDir("lexi-import-loop-");
afterAll(cleanup);
const store = memoryStorePerTest();
let files = 0;
function file(records: unknown[]): string {
  const path = join(dir, `input-${++files}.jsonl`);
  writeFileSync(path, records.map((record) => (typeof record === "string" ? record : JSON.stringify(record))).join("\n"));
  return path;
}
const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as InvalidInputError);

describe("invalid records without --skip-invalid", () => {
  it("stop the writing: a later record that would fail while written does not hide the list of invalid ones", async () => {
    const taken = new ObjectId();
    await logInteraction(store, { ...demoInteractions(1, 3)[0]!, _id: { $oid: taken.toHexString() } });
    const records: unknown[] = demoInteractions(8, 91);
    records[1] = { broken: true };
    records[6] = { ...(records[6] as object), _id: taken.toHexString() };
    for (const resume of [false, true]) {
      const error = await failure(importInteractions(store, { path: file(records) }, { batchSize: 2, resume }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toMatch(/^1 of 8 interaction records are invalid; nothing was written \(use --skip-invalid to write the valid ones\):\n {2}line 2: invalid interaction/);
      expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(1);
    }
  });

  it("are all listed when there are twenty, with nothing more to add, and carried as the error's details", async () => {
    const error = await failure(importInteractions(store, { path: file(Array.from({ length: 20 }, () => "{oops")) }));
    const problems = error.message.split("\n").slice(1).map((line) => line.trim());
    expect(problems).toHaveLength(20);
    expect(problems.every((problem, i) => problem.startsWith(`line ${i + 1}: not valid JSON`))).toBe(true);
    expect(error.details).toEqual(problems);
  });
});

describe("with --skip-invalid", () => {
  it("an input of invalid records only writes nothing and reports each", async () => {
    const summary = await importInteractions(store, { path: file([{ a: 1 }, "{oops", { b: 2 }]) }, { skipInvalid: true, rejectedPath: join(dir, "all-invalid.rejected.jsonl") });
    expect(summary).toEqual({ read: 3, rejected: 3, rejected_file: join(dir, "all-invalid.rejected.jsonl"), written: {}, unknown_fields: [] });
    expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
  });
});

describe("batches", () => {
  it("hold 250 records inside one embedded transaction unless told otherwise", async () => {
    const seen: number[] = [];
    await importInteractions(store, { path: file(demoInteractions(1200, 92)) }, { onProgress: ({ records }) => seen.push(records) });
    expect(seen).toEqual([250, 500, 750, 1000, 1200]);
  });

  it("hold a thousand records when each batch commits (--resume)", async () => {
    const written: number[] = [];
    await importInteractions(store, { path: file(demoInteractions(1200, 93)) }, { resume: true, onProgress: ({ stage, records }) => stage === "writing" && written.push(records) });
    expect(written).toEqual([1000, 1200]);
  });

  it("hold a thousand records when each batch is a round trip (MongoDB's tagged run)", async () => {
    const seen: number[] = [];
    await importInteractions(store, { path: file(demoInteractions(1200, 95)) }, { atomicity: "tagged", onProgress: ({ records }) => seen.push(records) });
    expect(seen).toEqual([1000, 1200]);
  });

  it("hold what the caller asks for, whichever way the import commits", async () => {
    const seen: number[] = [];
    await importInteractions(store, { path: file(demoInteractions(1200, 94)) }, { batchSize: 500, onProgress: ({ records }) => seen.push(records) });
    expect(seen).toEqual([500, 1000, 1200]);
    const written: number[] = [];
    await importInteractions(store, { path: file(demoInteractions(1200, 96)) }, { resume: true, batchSize: 300, onProgress: ({ stage, records }) => stage === "writing" && written.push(records) });
    expect(written).toEqual([300, 600, 900, 1200]);
  });

  it("a resumable import of an empty input says there are no records", async () => {
    await expect(importInteractions(store, { path: file(["", "  "]) }, { resume: true })).rejects.toThrow("no interaction records in the input");
    expect(await store.collection("import_runs").countDocuments()).toBe(0);
  });
});
