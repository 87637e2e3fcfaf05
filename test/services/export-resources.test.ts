/**
 * An export gives back every file it opened, whether it finishes or fails while staging or while
 * writing: a server that exports again and again must not run out of file descriptors. Its
 * staging folder sits in the temp directory under a name a later export can sweep.
 */
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { ExportStaging } from "../../src/services/export/staging.js";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";

const FDS = "/proc/self/fd";
const openFiles = () => readdirSync(FDS).length;
const { dir, cleanup } = tempDir();
let store: Store;
let n = 0;
const nextPath = () => join(dir, `dataset-${++n}`);

beforeAll(async () => {
  store = await openStore(":memory:");
  await seedDemoData(store, { interactions: 80, users: 6 });
  // One export first: modules and the store's statements are loaded once, not per export.
  await exportDataset(store, { min_quality_score: 0 }, { path: nextPath() });
});
afterAll(async () => {
  await store.close();
  cleanup();
});
afterEach(() => vi.restoreAllMocks());

/** An export whose signal is aborted after `method` of the staging first returns or yields. */
async function interruptedAfter(method: "add" | "chunks"): Promise<unknown> {
  const controller = new AbortController();
  if (method === "add") {
    const add = ExportStaging.prototype.add;
    vi.spyOn(ExportStaging.prototype, "add").mockImplementation(async function (this: ExportStaging, unit) {
      await add.call(this, unit);
      controller.abort();
    });
  } else {
    const chunks = ExportStaging.prototype.chunks;
    vi.spyOn(ExportStaging.prototype, "chunks").mockImplementation(function* (this: ExportStaging, limit?: number) {
      for (const chunk of chunks.call(this, limit)) {
        yield chunk;
        controller.abort();
      }
    });
  }
  return exportDataset(store, { min_quality_score: 0 }, { path: nextPath() }, { signal: controller.signal }).catch((error: unknown) => error);
}

describe.skipIf(!existsSync(FDS))("an export's open files", () => {
  it("are all closed after an export that finishes", async () => {
    const before = openFiles();
    await exportDataset(store, { min_quality_score: 0, split: [0.5, 0.5] }, { path: nextPath() });
    expect(openFiles()).toBe(before);
  });

  it("are all closed after an export interrupted while staging", async () => {
    const before = openFiles();
    expect(await interruptedAfter("add")).toMatchObject({ name: "AbortError" });
    expect(openFiles()).toBe(before);
  });

  it("are all closed after an export interrupted while writing its files", async () => {
    const before = openFiles();
    expect(await interruptedAfter("chunks")).toMatchObject({ name: "AbortError" });
    expect(openFiles()).toBe(before);
  });
});

describe("an export's staging folder", () => {
  it("is made in the temp directory under this process's id, and removed afterwards", async () => {
    const mine = () => readdirSync(tmpdir()).filter((entry) => entry.startsWith(`lexi-export-${process.pid}-`));
    let during: string[] = [];
    const add = ExportStaging.prototype.add;
    vi.spyOn(ExportStaging.prototype, "add").mockImplementation(async function (this: ExportStaging, unit) {
      during = mine();
      await add.call(this, unit);
    });
    await exportDataset(store, { min_quality_score: 0 }, { path: nextPath() });
    expect(during).toHaveLength(1);
    expect(mine()).toEqual([]);
  });
});
