/**
 * The embedded store's file across versions and permissions: a store written before hot columns
 * is migrated on open and keeps every document; opening an unchanged store writes nothing; a
 * store this user may not write still answers reading commands.
 */
import { spawn } from "node:child_process";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analytics } from "../../src/services/analytics.js";
import { listInteractions } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { SCHEMA_VERSION } from "../../src/store/embedded/catalog.js";
import { decodeDoc } from "../../src/store/embedded/codec.js";
import { tableName } from "../../src/store/embedded/sql-names.js";
import { openStore } from "../../src/store/open-store.js";
import type { Doc } from "../../src/store/store.js";
import { LEXI_BIN, requireBuild, ROOT, type RunResult, tempDir } from "../helpers/cli.js";

const FIXTURE = join(ROOT, "test/store/fixtures/store-v0.db");

/** Every document of the fixture, by collection, as the engine that wrote it read them back. */
function fixtureDocs(): Map<string, Doc[]> {
  const byCollection = new Map<string, Doc[]>();
  for (const line of readFileSync(join(ROOT, "test/store/fixtures/store-v0.json"), "utf8").trim().split("\n")) {
    const { collection, doc } = decodeDoc<{ collection: string; doc: Doc }>(line);
    byCollection.set(collection, [...(byCollection.get(collection) ?? []), doc]);
  }
  return byCollection;
}

/** Runs lexi as the given user (root ignores file modes, so tests as root run it as "nobody"). */
function runLexiAs(args: string[], cwd: string, user: { uid: number; gid: number } | undefined): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LEXI_BIN, ...args], { cwd, env: { ...process.env, LEXI_DB: "" }, stdio: ["ignore", "pipe", "pipe"], ...user });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

describe("embedded store file", () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it("migrates a store written before hot columns and keeps every document", async () => {
    const path = join(dir, "old.db");
    copyFileSync(FIXTURE, path);
    const store = await openStore(path, { retentionDays: 0 });
    try {
      const expected = fixtureDocs();
      expect([...expected.values()].flat().length).toBeGreaterThan(90);
      for (const name of Object.values(COLLECTIONS)) {
        const docs = await store.collection(name).find({}, { sort: { _id: 1 } }).toArray();
        expect(docs, name).toEqual(expected.get(name) ?? []);
      }
      // Queries that read the new columns answer as before.
      const user = (expected.get(COLLECTIONS.interactions)![0] as { user_id: string }).user_id;
      const mine = expected.get(COLLECTIONS.interactions)!.filter((doc) => doc.user_id === user);
      const listed = await listInteractions(store, { user_id: user, limit: 100 });
      expect(listed.map((doc) => doc._id)).toEqual(
        [...mine].sort((a, b) => (b.timestamp as Date).getTime() - (a.timestamp as Date).getTime()).map((doc) => doc._id),
      );
      const indexes = (await store.collection(COLLECTIONS.feedback).listIndexes()).map((index) => index.name);
      expect(indexes).not.toContain("user_id_1");
      expect(indexes).toContain("interaction_id_1_user_id_1");
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const expressionIndexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%json_extract%'").all();
    expect(expressionIndexes).toEqual([]);
    db.close();
  });

  it("leads every index key with its type rank once a version-1 store is opened, so index order is MongoDB's", async () => {
    const path = join(dir, "v1.db");
    const first = await openStore(path);
    const things = first.collection("mixed");
    await things.createIndexes([{ name: "v_1", keys: { v: 1 } }]);
    await things.insertMany([{ _id: "date", v: new Date(0) }, { _id: "true", v: true }, { _id: "string", v: "~" }, { _id: "two", v: 2 }]);
    await first.close();
    // Version 1 indexed the bare columns, where SQLite puts booleans among numbers and dates among strings.
    const old = new Database(path);
    const { sql } = old.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE '%v_1%'").get() as { sql: string };
    const column = /"(h\d+_v)"/.exec(sql)![1];
    const name = /INDEX "([^"]+)"/.exec(sql)![1];
    old.exec(`DROP INDEX "${name}"; CREATE INDEX "${name}" ON "docs_mixed" ("${column}"); PRAGMA user_version = 1`);
    old.close();
    const again = await openStore(path);
    try {
      const sorted = await again.collection("mixed").find({}, { sort: { v: 1 } }).toArray();
      expect(sorted.map((doc) => doc._id)).toEqual(["two", "string", "true", "date"]);
    } finally {
      await again.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const rebuilt = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) as { sql: string };
    expect(rebuilt.sql).toContain("CASE substr(ctypes");
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT rid FROM "docs_mixed" ORDER BY ${/ON "docs_mixed" \((.*)\)$/.exec(rebuilt.sql)![1]}, rid`).all() as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail).join(" ")).not.toContain("TEMP B-TREE FOR ORDER BY");
    db.close();
  });

  it("turns an index multikey once, for every connection to the file, and keeps it so after reopening", async () => {
    const path = join(dir, "multikey.db");
    const writer = await openStore(path, { retentionDays: 0 });
    const reader = await openStore(path, { retentionDays: 0 });
    try {
      await writer.collection("things").createIndexes([{ name: "labels_1", keys: { labels: 1 } }]);
      await writer.collection("things").insertOne({ _id: "s1", labels: "x" });
      // The reader plans with the scalar index first, then must see the index turn multikey.
      expect(await reader.collection("things").countDocuments({ labels: "x" })).toBe(1);
      await writer.collection("things").insertOne({ _id: "a1", labels: ["x", "y"] });
      expect(await reader.collection("things").countDocuments({ labels: "x" })).toBe(2);
    } finally {
      await writer.close();
      await reader.close();
    }
    const raw = new Database(path, { readonly: true });
    try {
      const spec = raw.prepare("SELECT spec FROM lexi_indexes WHERE collection = 'things' AND name = 'labels_1'").pluck().get() as string;
      expect(JSON.parse(spec)).toEqual({ name: "labels_1", keys: { labels: 1 }, multikey: true });
      expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%labels%'").pluck().get()).toBe(0);
    } finally {
      raw.close();
    }
    const again = await openStore(path, { retentionDays: 0 });
    try {
      await again.collection("things").createIndexes([{ name: "labels_1", keys: { labels: 1 } }]);
      expect(await again.collection("things").countDocuments({ labels: "y" })).toBe(1);
      expect((await again.collection("things").listIndexes()).find((index) => index.name === "labels_1")).toEqual({ name: "labels_1", keys: { labels: 1 } });
    } finally {
      await again.close();
    }
  });

  it("adds a hot column declared since the file was written, fills it from the documents, and answers from it", async () => {
    const path = join(dir, "before-column.db");
    const written = await openStore(path, { retentionDays: 0 });
    const interactions = written.collection(COLLECTIONS.interactions);
    const now = new Date();
    await interactions.insertMany([
      { _id: "with", user_id: "u1", session_id: "s1", timestamp: now, indexed_at: now, in_training_queue: false, user_feedback: { rating: 4, reported_issues: [] } },
      { _id: "without", user_id: "u1", session_id: "s1", timestamp: now, indexed_at: now, in_training_queue: false },
      { _id: "other", user_id: "u2", session_id: "s2", timestamp: now, indexed_at: now, in_training_queue: false, user_feedback: null },
    ]);
    const documents = await interactions.find({}, { sort: { _id: 1 } }).toArray();
    await written.close();
    // The file as a lexi without the user_feedback column wrote it: the column, its letter in
    // each row's type letters and its catalog entry are gone, and later columns move up one place.
    const old = new Database(path);
    const column = old.prepare("SELECT name, position FROM lexi_columns WHERE collection = ? AND path = 'user_feedback'").get(COLLECTIONS.interactions) as { name: string; position: number };
    old.exec(`ALTER TABLE "${tableName(COLLECTIONS.interactions)}" DROP COLUMN "${column.name}"`);
    old.prepare(`UPDATE "${tableName(COLLECTIONS.interactions)}" SET ctypes = substr(ctypes, 1, ?) || substr(ctypes, ?)`).run(column.position - 1, column.position + 1);
    old.prepare("DELETE FROM lexi_columns WHERE collection = ? AND path = 'user_feedback'").run(COLLECTIONS.interactions);
    old.prepare("UPDATE lexi_columns SET position = position - 1 WHERE collection = ? AND position > ?").run(COLLECTIONS.interactions, column.position);
    old.close();

    const paths: string[] = [];
    const listen = (event: unknown) => {
      if ((event as { operation: string }).operation === "aggregate") paths.push(String((event as { group?: string }).group));
    };
    const reopened = await openStore(path, { retentionDays: 0 });
    subscribe("lexi:embedded:read", listen);
    try {
      expect(await reopened.collection(COLLECTIONS.interactions).find({}, { sort: { _id: 1 } }).toArray()).toEqual(documents);
      const engagement = await analytics(reopened, { metric: "engagement" });
      expect(engagement.data).toEqual([{ group: "all", interactions: 3, learners: 2, sessions: 2, feedback_rate: 1 / 3 }]);
      expect(paths[0]).toBe("sql");
    } finally {
      unsubscribe("lexi:embedded:read", listen);
      await reopened.close();
    }
    const db = new Database(path, { readonly: true });
    const added = db.prepare("SELECT name FROM lexi_columns WHERE collection = ? AND path = 'user_feedback'").get(COLLECTIONS.interactions) as { name: string };
    const cells = db.prepare(`SELECT id, "${added.name}" AS feedback FROM "${tableName(COLLECTIONS.interactions)}" ORDER BY id`).all();
    expect(cells).toEqual([
      { id: '"other"', feedback: null },
      { id: '"with"', feedback: '{"rating":4,"reported_issues":[]}' },
      { id: '"without"', feedback: null },
    ]);
    db.close();
  });

  it("writes nothing when an unchanged store is opened again", async () => {
    const path = join(dir, "steady.db");
    const first = await openStore(path);
    await first.collection(COLLECTIONS.interactions).insertOne({ user_id: "u1", timestamp: new Date(), indexed_at: new Date(), in_training_queue: false });
    await first.close();
    const before = sha256(path);
    for (let i = 0; i < 2; i++) {
      const again = await openStore(path);
      expect(await again.collection(COLLECTIONS.interactions).countDocuments()).toBe(1);
      await again.close();
    }
    expect(sha256(path)).toBe(before);
  });

  describe("read-only", () => {
    beforeAll(requireBuild);
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

    it("lists and reports on a store file with mode 0444, and refuses to write it", async () => {
      const folder = join(dir, "shared");
      const path = join(folder, "lexi.db");
      const store = await openStore(path);
      await store.collection(COLLECTIONS.interactions).insertOne({ user_id: "u1", session_id: "s1", timestamp: new Date(), indexed_at: new Date(), in_training_queue: false });
      await store.close();
      chmodSync(path, 0o444);
      // The folder stays writable: SQLite's shared-memory file for readers lives beside the store.
      chmodSync(folder, 0o777);
      chmodSync(dir, 0o755);
      const before = sha256(path);
      const run = (args: string[]) => runLexiAs([...args, "--db", path, "--json"], folder, user);
      const status = await run(["status"]);
      expect(status.stderr).toBe("");
      expect(status.code).toBe(0);
      expect(JSON.stringify(JSON.parse(status.stdout))).toContain("ai_interactions");
      const listed = await run(["interactions", "list"]);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toHaveLength(1);
      const written = await run(["seed", "--interactions", "1", "--users", "1"]);
      expect(written.code).toBe(5);
      expect(written.stderr).toContain("read-only");
      expect(sha256(path)).toBe(before);
    });
  });
});
