/**
 * The embedded store's WAL is checkpointed by a worker thread, not inside the writer's commits:
 * under a steady stream of writes the WAL stays bounded and the store file takes the pages in,
 * also while another process reads the store and while the writer never lets its event loop
 * turn; nothing is lost; closing leaves a single file; and a program ends whether or not it
 * closes its store.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setImmediate as turn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { ROOT, runNode, tempDir } from "../helpers/cli.js";

const TEXT = "x".repeat(4000);
/** SQLite checkpoints itself at 1,000 pages of 4 KiB; the writes below are several times that. */
const WRITTEN_BYTES = 48 * 2 ** 20;
const COUNT = Math.ceil(WRITTEN_BYTES / TEXT.length);

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** One commit per document, with event-loop turns between them as a server has; returns the largest WAL seen. */
async function writeSteadily(store: Store, path: string, turns = true): Promise<number> {
  const notes = store.collection("notes");
  let largest = 0;
  for (let i = 0; i < COUNT; i++) {
    await notes.insertOne({ _id: `n${i}`, text: TEXT, i });
    if (i % 20 === 0) {
      largest = Math.max(largest, size(`${path}-wal`));
      if (turns) await turn();
    }
  }
  return largest;
}

/** A program run from the sources in its own process, in `dir`. */
async function runProgram(dir: string, body: string): Promise<string> {
  writeFileSync(join(dir, "program.mts"), `import { openStore } from ${JSON.stringify(join(ROOT, "src/store/open-store.ts"))};\n${body}`);
  const result = await runNode([join(ROOT, "node_modules/tsx/dist/cli.mjs"), "--tsconfig", join(ROOT, "tsconfig.json"), "program.mts"], { cwd: dir });
  return result.stdout.trim();
}

/** Another process counting the store's documents every millisecond, each count a read transaction. */
const READ_IN_A_LOOP = `
const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve("better-sqlite3"))});
const db = new Database(process.argv[1], { readonly: true });
const count = db.prepare("SELECT count(*) FROM docs_notes");
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  count.get();
  Atomics.wait(pause, 0, 0, 1);
}
`;

const WRITE_PAST_THRESHOLD = `
const store = await openStore("lexi.db");
const notes = store.collection("notes");
for (let i = 0; i < ${COUNT}; i++) {
  await notes.insertOne({ _id: "n" + i, text: "x".repeat(4000) });
  if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
`;

describe("WAL checkpoints off the writing thread", () => {
  it("keeps the WAL bounded under steady writes, and the store file holds what was written", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "lexi.db");
      const store = await openStore(path);
      // Without the worker, SQLite's own checkpoint would let the WAL reach its 40 MB cap; the
      // worker keeps it well under (about 5-27 MB, the more so the busier the machine).
      expect(await writeSteadily(store, path)).toBeLessThan(WRITTEN_BYTES * 0.7);
      expect(size(path)).toBeGreaterThan(WRITTEN_BYTES / 2);
      expect(await store.collection("notes").countDocuments()).toBe(COUNT);
      await store.close();
      expect(existsSync(`${path}-wal`)).toBe(false);

      const reopened = await openStore(path);
      expect(await reopened.collection("notes").countDocuments()).toBe(COUNT);
      expect(await reopened.collection("notes").findOne({ _id: `n${COUNT - 1}` })).toMatchObject({ i: COUNT - 1, text: TEXT });
      await reopened.close();
    } finally {
      cleanup();
    }
  }, 60_000);

  it("keeps the WAL bounded while another process reads the store (a CLI beside `lexi serve`)", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "lexi.db");
      const store = await openStore(path);
      await store.collection("notes").insertOne({ _id: "first", text: "" });
      const reader = spawn(process.execPath, ["-e", READ_IN_A_LOOP, path], { stdio: "ignore" });
      try {
        expect(await writeSteadily(store, path)).toBeLessThan(WRITTEN_BYTES / 2);
      } finally {
        reader.kill();
      }
      await store.close();
    } finally {
      cleanup();
    }
  }, 60_000);

  it("starts no checkpoint thread for a short command beside a store that filled the WAL", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "lexi.db");
      const server = await openStore(path);
      await writeSteadily(server, path);
      const threads = () => readdirSync("/proc/self/task").length;
      const before = threads();
      const command = await openStore(path);
      await command.collection("notes").insertOne({ _id: "one more", text: "" });
      expect(threads()).toBe(before);
      await command.close();
      await server.close();
    } finally {
      cleanup();
    }
  }, 60_000);

  it("keeps the WAL bounded when the writer never lets its event loop turn", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "lexi.db");
      const store = await openStore(path);
      // No answer of the worker arrives: SQLite's own checkpoint at 10,000 pages (40 MB) caps the WAL.
      expect(await writeSteadily(store, path, false)).toBeLessThan(44 * 2 ** 20);
      await store.close();
    } finally {
      cleanup();
    }
  }, 60_000);

  it("lets a program that closes the store as its last step finish its close", async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(await runProgram(dir, `${WRITE_PAST_THRESHOLD}\nawait store.close();\nconsole.log("closed");`)).toBe("closed");
      expect(existsSync(join(dir, "lexi.db-wal"))).toBe(false);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("lets a program that never closes its store end", async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(await runProgram(dir, `${WRITE_PAST_THRESHOLD}\nconsole.log("written");`)).toBe("written");
    } finally {
      cleanup();
    }
  }, 60_000);
});
