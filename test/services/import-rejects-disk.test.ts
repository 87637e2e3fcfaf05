/**
 * A full disk while an import writes its rejects file. The disk of this machine cannot be filled
 * on demand, so writes to files in one chosen folder fail as Node reports a full disk (ENOSPC);
 * everything else (the store, the other files) is real.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import { IMPORT_RUNS } from "../../src/services/import/atomic-run.js";
import { importInteractions } from "../../src/services/intake-import.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";

/** Where writes fail, which call fails, and with what (by default the full disk's ENOSPC). */
const disk = vi.hoisted(() => ({ fullIn: undefined as string | undefined, failing: "write" as "write" | "sync", error: undefined as Error | undefined }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  const full = (syscall: string) => Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: "ENOSPC", errno: -28, syscall });
  const open = async (...args: Parameters<typeof actual.open>): Promise<FileHandle> => {
    const handle = await actual.open(...args);
    if (disk.fullIn === undefined || dirname(String(args[0])) !== disk.fullIn) return handle;
    const failing = disk.failing;
    return new Proxy(handle, {
      get: (target, key) => (key === failing ? () => Promise.reject(disk.error ?? full(failing)) : Reflect.get(target, key, target)),
    });
  };
  return { ...actual, open, default: { ...actual, open } };
});

const { dir, cleanup } = tempDir("lexi-full-disk-");
afterAll(cleanup);
let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
  disk.fullIn = undefined;
  disk.failing = "write";
  disk.error = undefined;
});
afterEach(async () => {
  await store.close();
});

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as Error);
const stored = () => store.collection(COLLECTIONS.interactions).countDocuments();
let folders = 0;
/** An input with some invalid records, and a folder on the "full" disk for its rejects. */
function setup(records: unknown[]): { input: string; full: string } {
  const input = join(dir, `input-${++folders}.jsonl`);
  writeFileSync(input, jsonl(records));
  const full = join(dir, `full-${folders}`);
  mkdirSync(full);
  return { input, full };
}
function withInvalid(count: number, every: number): unknown[] {
  return demoInteractions(count, 51).map((record, i) => (i % every === every - 1 ? { broken: `${i}`.padEnd(900, "x") } : record));
}

describe("a full disk under the rejects file", () => {
  it.each(["write", "sync"] as const)("fails the import before it commits (at %s): exit 5, nothing stored, no file left, an earlier file kept", async (failing) => {
    const { input, full } = setup(withInvalid(20, 4));
    const rejects = join(full, "rejects.jsonl");
    writeFileSync(rejects, "earlier rejects\n");
    disk.fullIn = full;
    disk.failing = failing;
    const error = await failure(importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: rejects }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toBe(`${failing}: the disk is full: free some space and run the command again`);
    expect(await stored()).toBe(0);
    expect(readdirSync(full)).toEqual(["rejects.jsonl"]);
    expect(readFileSync(rejects, "utf8")).toBe("earlier rejects\n");
  });

  it("stops the import as soon as the rejects outgrow memory", async () => {
    // 1,000 records, every other one a 900-byte reject: the rejects fill the disk long before the end.
    const { input, full } = setup(withInvalid(1000, 2));
    disk.fullIn = full;
    const seen: number[] = [];
    const error = await failure(importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: join(full, "r.jsonl"), batchSize: 50, onProgress: ({ records }) => seen.push(records) }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(seen.at(-1)).toBeLessThan(1000);
    expect(await stored()).toBe(0);
    expect(readdirSync(full)).toEqual([]);
  });

  it("at the end of a resumable import keeps its checkpoint: the rerun, with space again, only writes the rejects", async () => {
    const { input, full } = setup(withInvalid(300, 10));
    const rejects = join(full, "r.jsonl");
    disk.fullIn = full;
    const error = await failure(importInteractions(store, { path: input }, { resume: true, skipInvalid: true, rejectedPath: rejects, batchSize: 100 }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(await stored()).toBe(270);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(1);
    expect(readdirSync(full)).toEqual([]);

    disk.fullIn = undefined;
    const summary = await importInteractions(store, { path: input }, { resume: true, skipInvalid: true, rejectedPath: rejects, batchSize: 100 });
    expect(summary).toMatchObject({ read: 300, rejected: 30, rejected_file: rejects, resumed_after_line: 299 });
    expect(summary.written).toEqual({});
    expect(readFileSync(rejects, "utf8").trim().split("\n")).toHaveLength(30);
    expect(await store.collection(IMPORT_RUNS).countDocuments()).toBe(0);
  });
});

describe("a failure of the rejects file that is not the system's", () => {
  it("reaches the caller as it is, and the import writes nothing", async () => {
    const { input, full } = setup(withInvalid(8, 4));
    disk.fullIn = full;
    disk.error = new TypeError("a bug in a file-system layer");
    expect(await failure(importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: join(full, "r.jsonl") }))).toBe(disk.error);
    expect(await stored()).toBe(0);
    expect(readdirSync(full)).toEqual([]);
  });
});

describe("a full disk where nothing needs to be written", () => {
  it.each([false, true])("does not fail an import that rejects nothing (resume: %s)", async (resume) => {
    const { input, full } = setup(demoInteractions(6, 52));
    disk.fullIn = full;
    disk.failing = "sync";
    const summary = await importInteractions(store, { path: input }, { skipInvalid: true, resume, rejectedPath: join(full, "r.jsonl") });
    expect(summary).toMatchObject({ read: 6, rejected: 0, rejected_file: null, written: { inserted: 6 } });
    expect(readdirSync(full)).toEqual([]);
  });
});
