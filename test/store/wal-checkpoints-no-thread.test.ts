/**
 * Where the system refuses the checkpoint thread (a container's thread limit), the store works as
 * SQLite does by default: every write is answered and stored, and the writer's own checkpoints
 * keep the WAL small.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as turn } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { tempDir } from "../helpers/cli.js";

// The checkpointer loads worker_threads when it starts its thread; here the thread is refused.
const builtin = process.getBuiltinModule.bind(process);
vi.spyOn(process, "getBuiltinModule").mockImplementation(((id: string) => {
  if (id !== "node:worker_threads") return builtin(id);
  return {
    ...builtin("node:worker_threads"),
    Worker: class {
      constructor() {
        throw Object.assign(new Error("the system refused a new thread"), { code: "ERR_WORKER_INIT_FAILED" });
      }
    },
  };
}) as typeof process.getBuiltinModule);

const TEXT = "x".repeat(4000);
const COUNT = 6000;

describe("WAL checkpoints without a thread for them", () => {
  it("answers and stores every write, and the writer checkpoints itself", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "lexi.db");
      const store = await openStore(path);
      let largestWal = 0;
      for (let i = 0; i < COUNT; i += 2) {
        // Two units in one turn share a group commit, the path a server's requests take.
        await Promise.all([i, i + 1].map((n) => store.transaction((session) => session.collection("notes").insertOne({ _id: `n${n}`, text: TEXT }))));
        if (i % 40 === 0) {
          largestWal = Math.max(largestWal, existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
          await turn();
        }
      }
      expect(await store.collection("notes").countDocuments()).toBe(COUNT);
      expect(largestWal).toBeLessThan(8 * 2 ** 20);
      await store.close();
      expect(existsSync(`${path}-wal`)).toBe(false);
    } finally {
      cleanup();
    }
  }, 60_000);
});
