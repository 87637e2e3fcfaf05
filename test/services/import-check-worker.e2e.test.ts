/**
 * A large import is read and checked by a worker thread of the built package while the importing
 * thread writes: it stores, refuses and counts exactly what one thread does, keeps all-or-nothing,
 * and a worker that cannot load fails the import without writing anything or hanging.
 */
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import { requireBuild, ROOT, runNode, tempDir } from "../helpers/cli.js";

/**
 * Imports `input` (mode "skip": --skip-invalid; "text": as a stream of text chunks; "abort":
 * aborted 300 ms after it starts) and prints what it did and stored.
 */
const script = (dist: string) => `
import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
const { openStore, importInteractions } = await import(${JSON.stringify(join(dist, "index.js"))});
const [db, input, mode] = process.argv.slice(1);
const threads = [];
subscribe("lexi:import", (event) => threads.push(event.threads));
const store = await openStore(db);
const text = readFileSync(input, "utf8");
const source = mode === "text" ? { stream: Readable.from(text.match(/[^]{1,40000}/g)) } : { path: input };
const progress = [];
const controller = new AbortController();
let summary = null;
let error = null;
let settledAfterAbortMs = null;
const started = Date.now();
if (mode === "abort") setTimeout(() => controller.abort(), 300);
try {
  summary = await importInteractions(store, source, { skipInvalid: mode === "skip", now: new Date("2026-11-01T00:00:00Z"), signal: controller.signal, onProgress: ({ records, bytes }) => progress.push({ records, bytes }) });
} catch (caught) {
  error = { code: caught.code ?? null, message: caught.message };
}
if (mode === "abort") settledAfterAbortMs = Date.now() - started - 300;
const interactions = await store.collection("ai_interactions").find({}, { sort: { _id: 1 } }).toArray();
const queue = (await store.collection("training_queue").find({}).toArray()).map(({ _id, ...item }) => item);
queue.sort((a, b) => String(a.source_interaction_id).localeCompare(String(b.source_interaction_id)));
await store.close();
console.log(JSON.stringify({ threads, summary, error, interactions: mode === "progress" ? [] : interactions, queue: mode === "progress" ? [] : queue, settledAfterAbortMs, progress }));
`;

interface Outcome {
  threads: number[];
  summary: Record<string, unknown> | null;
  error: { code: string | null; message: string } | null;
  interactions: Array<Record<string, unknown>>;
  queue: Array<Record<string, unknown>>;
  settledAfterAbortMs: number | null;
  progress: Array<{ records: number; bytes: number }>;
}

async function importWith(dist: string, dir: string, input: string, mode: "skip" | "all" | "text" | "abort" | "progress"): Promise<Outcome> {
  const db = join(dir, `${Math.random().toString(36).slice(2)}.db`);
  const result = await runNode(["--input-type=module", "-e", script(dist), db, input, mode], { cwd: dir });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Outcome;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Some 1.5 MB of JSONL: demo interactions with Vietnamese text (a character of several bytes sits
 * across at least one 64 KiB read boundary), Extended JSON, an unknown field, a repeated record,
 * CRLF endings, a blank line, a line that is not JSON and a record that is invalid.
 */
function writeInput(path: string, { invalid }: { invalid: boolean }): void {
  const { interactions } = generateDemoData({ users: 30, interactions: 3000, days: 20, seed: 11, now: new Date("2026-11-01T00:00:00Z") });
  const withText = (record: (typeof interactions)[number], text: string) => ({ ...record, user_input: { ...record.user_input, text } });
  const lines = interactions.map((record, i) => JSON.stringify(withText(record, `${record.user_input.text} — Tiếng Việt ${"ế".repeat(i % 7)}`)));
  lines[10] = JSON.stringify({ ...JSON.parse(lines[10]!), _id: { $oid: "65f0c0ffee0000000000000a" }, timestamp: { $date: { $numberLong: "1767225600000" } } });
  lines[20] = JSON.stringify({ ...JSON.parse(lines[20]!), mood: "curious", analysis: { ...JSON.parse(lines[20]!).analysis, tone: "warm" } });
  lines[30] = lines[29]!;
  lines[40] = `${lines[40]}\r`;
  lines[50] = "";
  if (invalid) {
    lines[60] = "null";
    lines[1500] = "{not json";
    lines[2500] = JSON.stringify({ ...JSON.parse(lines[2500]!), user_input: { text: 42 } });
  }
  // Padding the first record moves every later byte until a read boundary falls inside a character.
  const first = interactions[0]!;
  for (let pad = 0; pad < 1000; pad++) {
    lines[0] = JSON.stringify(withText(first, `${first.user_input.text}${"!".repeat(pad)}`));
    const bytes = Buffer.from(`${lines.join("\n")}\n`);
    if ((bytes[CHUNK_BYTES]! & 0xc0) !== 0x80) continue;
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    writeFileSync(path, bytes);
    return;
  }
  throw new Error("no padding puts a character across the first read boundary");
}

/** A copy of the built package, its worker file replaced by `worker` (or removed). */
function packageWith(dir: string, worker: string | null): string {
  const dist = join(dir, "package", "dist");
  cpSync(join(ROOT, "dist"), dist, { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "package", "node_modules"));
  if (worker === null) rmSync(join(dist, "check-worker.js"));
  else writeFileSync(join(dist, "check-worker.js"), worker);
  return dist;
}

describe("a large import checked by a worker thread", () => {
  it("stores, refuses and counts what one thread does", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const input = join(dir, "history.jsonl");
      writeInput(input, { invalid: true });
      const rejects = `${input}.rejected.jsonl`;
      const two = await importWith(join(ROOT, "dist"), dir, input, "skip");
      const rejectedByTwo = readFileSync(rejects, "utf8");
      const one = await importWith(packageWith(dir, null), dir, input, "skip");
      const rejectedByOne = readFileSync(rejects, "utf8");
      expect([two.threads, one.threads]).toEqual([[2], [1]]);
      expect(two.error).toBeNull();
      expect(two.summary).toMatchObject({ read: 2999, rejected: 3, written: { inserted: 2995, duplicates: 1 } });
      expect(two.summary!.unknown_fields).toEqual([
        expect.objectContaining({ field: "analysis.tone", records: 1 }),
        expect.objectContaining({ field: "mood", records: 1 }),
      ]);
      expect(two.summary).toEqual(one.summary);
      expect(rejectedByTwo.trim().split("\n").map((line) => JSON.parse(line).line)).toEqual([61, 1501, 2501]);
      expect(rejectedByTwo).toBe(rejectedByOne);
      expect(two.interactions).toHaveLength(2995);
      expect(two.interactions).toEqual(one.interactions);
      expect(two.queue.length).toBeGreaterThan(0);
      expect(two.queue).toEqual(one.queue);
      const given = two.interactions.find((doc) => doc._id === "65f0c0ffee0000000000000a")!;
      expect(given.timestamp).toBe("2026-01-01T00:00:00.000Z");
      expect(two.interactions.some((doc) => (doc.user_input as { text: string }).text.endsWith("Tiếng Việt ếếếếếế"))).toBe(true);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("writes nothing when a record is invalid, and lists it by line", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const input = join(dir, "history.jsonl");
      writeInput(input, { invalid: true });
      const outcome = await importWith(join(ROOT, "dist"), dir, input, "all");
      expect(outcome.threads).toEqual([2]);
      expect(outcome.error?.code).toBe("invalid_input");
      expect(outcome.error?.message).toMatch(/^3 of 2999 interaction records are invalid; nothing was written/);
      expect(outcome.error?.message).toContain("line 1501: not valid JSON");
      expect(outcome.error?.message).toContain("line 2501: ");
      expect([outcome.interactions.length, outcome.queue.length]).toEqual([0, 0]);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("reads a stream that gives text, in chunks that cut lines anywhere", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const input = join(dir, "history.jsonl");
      writeInput(input, { invalid: false });
      const fromText = await importWith(join(ROOT, "dist"), dir, input, "text");
      const fromFile = await importWith(join(ROOT, "dist"), dir, input, "all");
      expect([fromText.threads, fromText.error]).toEqual([[2], null]);
      expect(fromText.summary).toMatchObject({ read: 2999, rejected: 0, written: { inserted: 2998, duplicates: 1 } });
      expect(fromText.interactions).toEqual(fromFile.interactions);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("stops at once when aborted while the worker still reads a large JSON array", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      // Some 30 MB in one JSON array: the worker parses and checks it whole before it answers.
      const { interactions } = generateDemoData({ users: 50, interactions: 60_000, days: 30, seed: 5, now: new Date("2026-11-01T00:00:00Z") });
      const input = join(dir, "history.json");
      writeFileSync(input, JSON.stringify(interactions));
      const outcome = await importWith(join(ROOT, "dist"), dir, input, "abort");
      expect(outcome.threads).toEqual([2]);
      expect(outcome.error).toEqual({ code: "interrupted", message: expect.stringMatching(/^interaction import interrupted after 0 records: nothing was written/) });
      expect(outcome.settledAfterAbortMs).toBeLessThan(1500);
      expect(outcome.interactions).toHaveLength(0);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("reads at most 4 KiB per record of a batch (250 in one transaction: 1,024,000 bytes) ahead of the records it has taken, so memory stays flat", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const { interactions } = generateDemoData({ users: 50, interactions: 40_000, days: 30, seed: 7, now: new Date("2026-11-01T00:00:00Z") });
      const lines = interactions.map((record) => `${JSON.stringify(record)}\n`);
      const input = join(dir, "history.jsonl");
      writeFileSync(input, lines.join(""));
      const outcome = await importWith(join(ROOT, "dist"), dir, input, "progress");
      expect([outcome.threads, outcome.summary?.read]).toEqual([[2], 40_000]);
      const upTo = [0];
      for (const line of lines) upTo.push(upTo.at(-1)! + Buffer.byteLength(line));
      // After each batch: bytes read against the bytes of the records taken so far.
      expect(outcome.progress.length).toBeGreaterThan(30);
      // The reader stops once past the limit: one 64 KiB chunk over it, and a line the worker has begun.
      const longestLine = Math.max(...lines.map((line) => Buffer.byteLength(line)));
      for (const { records, bytes } of outcome.progress) expect(bytes - upTo[records]!).toBeLessThanOrEqual(250 * 4096 + 64 * 1024 + longestLine);
    } finally {
      cleanup();
    }
  }, 60_000);

  it("fails without writing or hanging when the worker cannot load", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const input = join(dir, "history.jsonl");
      writeInput(input, { invalid: false });
      const outcome = await importWith(packageWith(dir, 'throw new Error("a broken install");\n'), dir, input, "all");
      expect(outcome.threads).toEqual([2]);
      expect(outcome.error?.message).toContain("the import's checking thread failed: a broken install");
      expect([outcome.interactions.length, outcome.queue.length]).toEqual([0, 0]);
    } finally {
      cleanup();
    }
  }, 60_000);
});
