/**
 * The embedded store's WAL is checkpointed by a worker thread, not inside the writer's commits:
 * under a steady stream of writes the WAL stays bounded and the store file takes the pages in,
 * nothing is lost, and closing leaves a single file (also for a program that ends right after
 * `close()`, when nothing else keeps its event loop alive).
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as turn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { ROOT, runNode, tempDir } from "../helpers/cli.js";

const TEXT = "x".repeat(4000);
/** SQLite checkpoints itself at 1,000 pages of 4 KiB; the writes below are several times that. */
const WRITTEN_BYTES = 48 * 2 ** 20;

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** One commit per document, with event-loop turns between them as a server has. */
async function writeSteadily(store: Store, count: number): Promise<void> {
  const notes = store.collection("notes");
  for (let i = 0; i < count; i++) {
    await notes.insertOne({ _id: `n${i}`, text: TEXT, i });
    if (i % 20 === 0) await turn();
  }
}

describe("WAL checkpoints off the writing thread", () => {
  it("keeps the WAL bounded under steady writes, and the store file holds what was written", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "lexi.db");
      const store = await openStore(path);
      const count = Math.ceil(WRITTEN_BYTES / TEXT.length);
      await writeSteadily(store, count);
      // Each document is written once as a WAL frame or more: without checkpoints the WAL would hold them all.
      expect(size(`${path}-wal`)).toBeLessThan(WRITTEN_BYTES / 2);
      expect(size(path)).toBeGreaterThan(WRITTEN_BYTES / 2);
      expect(await store.collection("notes").countDocuments()).toBe(count);
      await store.close();
      expect(existsSync(`${path}-wal`)).toBe(false);

      const reopened = await openStore(path);
      expect(await reopened.collection("notes").countDocuments()).toBe(count);
      expect(await reopened.collection("notes").findOne({ _id: `n${count - 1}` })).toMatchObject({ i: count - 1, text: TEXT });
      await reopened.close();
    } finally {
      cleanup();
    }
  }, 60_000);

  it("lets a program that closes the store as its last step finish its close", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const script = `
import { openStore } from ${JSON.stringify(join(ROOT, "src/store/open-store.ts"))};
const store = await openStore("lexi.db");
const notes = store.collection("notes");
for (let i = 0; i < ${Math.ceil(WRITTEN_BYTES / TEXT.length)}; i++) {
  await notes.insertOne({ _id: "n" + i, text: "x".repeat(4000) });
  if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
await store.close();
console.log("closed");
`;
      writeFileSync(join(dir, "close-last.mts"), script);
      const result = await runNode([join(ROOT, "node_modules/tsx/dist/cli.mjs"), "--tsconfig", join(ROOT, "tsconfig.json"), "close-last.mts"], { cwd: dir });
      expect(result.stdout.trim()).toBe("closed");
      expect(existsSync(join(dir, "lexi.db-wal"))).toBe(false);
    } finally {
      cleanup();
    }
  }, 60_000);
});
