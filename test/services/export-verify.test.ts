/**
 * `exports verify` on the cases the end-to-end tests leave out: a streamed export, a record that
 * is not complete, a manifest that is missing, unreadable or disagrees with the store, a file
 * whose line count changed, and folders named by path in every way a user names them.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/errors.js";
import type { ExportDoc } from "../../src/schema/export.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { verifyExport } from "../../src/services/exports.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { queuedExamples } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
let store: Store;

beforeEach(async () => {
  store = await openStore(":memory:");
  await store.collection(COLLECTIONS.queue).insertMany(queuedExamples(8, (i) => ({ user_id: `learner-${i % 4}` })));
});
afterEach(async () => {
  await store.close();
});

const exportsOf = () => store.collection<ExportDoc>(COLLECTIONS.exports);

describe("exports verify", () => {
  it("has nothing to check for an export streamed to standard output", async () => {
    const streamed = await exportDataset(store, {}, { stream: new PassThrough().resume() });
    expect(await verifyExport(store, streamed._id)).toEqual({
      export_id: streamed._id,
      directory: null,
      ok: true,
      files: [],
      extra_files: [],
      problems: [],
      note: "streamed to standard output: no files to verify",
    });
  });

  it("reports every file of an intact export with its counts and checksums", async () => {
    const path = out("intact");
    const result = await exportDataset(store, { split: [0.5, 0.5] }, { path });
    const report = await verifyExport(store, result._id);
    expect(report).toEqual({
      export_id: result._id,
      directory: path,
      ok: true,
      files: result.files.map((f) => ({ split: f.split, file: `${f.split}.jsonl`, status: "ok", records: f.records, expected_records: f.records, sha256: f.sha256, expected_sha256: f.sha256 })),
      extra_files: [],
      problems: [],
    });
    expect(report.files.map((f) => f.records)).toEqual([4, 4]);
    expect(await verifyExport(store, relative(process.cwd(), path))).toEqual(report);
  });

  it("finds a file with a line taken out, or one added, as changed", async () => {
    const path = out("lines");
    const result = await exportDataset(store, {}, { path });
    const data = join(path, "data.jsonl");
    const text = readFileSync(data, "utf8");
    writeFileSync(data, text.split("\n").slice(1).join("\n"));
    const shorter = await verifyExport(store, result._id);
    expect(shorter.files[0]).toMatchObject({ status: "changed", records: 7, expected_records: 8 });
    expect(shorter.problems).toEqual(["data.jsonl is changed"]);
    writeFileSync(data, `${text}\n`);
    expect((await verifyExport(store, result._id)).files[0]).toMatchObject({ status: "changed", records: 9 });
  });

  it("says an export is not complete", async () => {
    const path = out("publishing");
    const result = await exportDataset(store, {}, { path });
    // Owned by this live process: recovery leaves it alone.
    await exportsOf().updateOne({ _id: result._id }, { $set: { state: "publishing" } });
    const report = await verifyExport(store, path);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`export ${result._id} is publishing`]);
  });

  it("checks the files against the store's record when the manifest is missing or unreadable", async () => {
    const path = out("no-manifest");
    const result = await exportDataset(store, { split: [0.5, 0.5] }, { path });
    rmSync(join(path, "manifest.json"));
    const missing = await verifyExport(store, result._id);
    expect(missing.problems).toEqual([`${join(path, "manifest.json")} is missing or unreadable`]);
    expect(missing.files.map((f) => [f.file, f.status])).toEqual([
      ["train.jsonl", "ok"],
      ["validation.jsonl", "ok"],
    ]);
    writeFileSync(join(path, "manifest.json"), "{ not json");
    const unreadable = await verifyExport(store, result._id);
    expect(unreadable.problems).toEqual([`${join(path, "manifest.json")} is missing or unreadable`]);
    expect(unreadable.files).toHaveLength(2);
    // By folder, without a manifest nothing names the export, nor its files.
    const byFolder = await verifyExport(store, path);
    expect(byFolder.export_id).toBeNull();
    expect(byFolder.problems).toEqual([
      `${join(path, "manifest.json")} is missing or unreadable`,
      "export (unknown) is not recorded in the store",
      "train.jsonl is not part of the export",
      "validation.jsonl is not part of the export",
    ]);
    expect(byFolder.extra_files).toEqual(["train.jsonl", "validation.jsonl"]);
  });

  it("says when the manifest's checksum differs from the store's record", async () => {
    const path = out("disagree");
    const result = await exportDataset(store, {}, { path });
    await exportsOf().updateOne({ _id: result._id }, { $set: { files: [{ ...result.files[0]!, sha256: "0".repeat(64) }] } });
    const report = await verifyExport(store, path);
    expect(report.files[0]!.status).toBe("ok");
    expect(report.problems).toEqual(["the manifest's checksum of data.jsonl differs from the store's record"]);
  });

  it("names the export a folder now holds when it was not replaced by --force", async () => {
    const first = await exportDataset(store, {}, { path: out("first") });
    const second = await exportDataset(store, { limit: 3 }, { path: out("second") });
    rmSync(first.directory!, { recursive: true });
    renameSync(second.directory!, first.directory!);
    const report = await verifyExport(store, first._id);
    // The record of the export asked for stays the reference: its file is checked against its own checksum.
    expect(report.problems).toEqual([`the folder now holds export ${second._id}`, "data.jsonl is changed"]);
    expect(report.files[0]).toMatchObject({ file: "data.jsonl", records: 3, expected_records: 8, expected_sha256: first.files[0]!.sha256 });
  });

  it("refuses a path that is not a folder, and an id it does not know", async () => {
    const file = join(dir, "a-file.txt");
    writeFileSync(file, "hello\n");
    await expect(verifyExport(store, file)).rejects.toThrow(new NotFoundError(`no export with id or folder ${file} (see lexi exports list)`));
    await expect(verifyExport(store, "exp-unknown-id")).rejects.toThrow(/no export with id or folder exp-unknown-id/);
    mkdirSync(join(dir, "exp-empty"));
    const empty = await verifyExport(store, join(dir, "exp-empty"));
    expect(empty.problems).toEqual([`${join(dir, "exp-empty", "manifest.json")} is missing or unreadable`, "export (unknown) is not recorded in the store"]);
  });

  it("lists files that do not belong in order, and a folder gone altogether as missing files", async () => {
    const path = out("gone");
    const result = await exportDataset(store, { split: [0.5, 0.5] }, { path });
    writeFileSync(join(path, "z-notes.txt"), "mine\n");
    writeFileSync(join(path, "a-notes.txt"), "mine too\n");
    expect((await verifyExport(store, path)).extra_files).toEqual(["a-notes.txt", "z-notes.txt"]);
    rmSync(path, { recursive: true });
    const gone = await verifyExport(store, result._id);
    expect(gone.files.map((f) => [f.file, f.status, f.records, f.sha256])).toEqual([
      ["train.jsonl", "missing", null, null],
      ["validation.jsonl", "missing", null, null],
    ]);
    expect(gone.problems).toEqual([`${join(path, "manifest.json")} is missing or unreadable`, "train.jsonl is missing", "validation.jsonl is missing"]);
    expect(gone.extra_files).toEqual([]);
  });

  it("says only that an export is not recorded when its folder is checked and another export is", async () => {
    const other = await exportDataset(store, { limit: 1 }, { path: out("other") });
    const path = out("unrecorded");
    const result = await exportDataset(store, {}, { path });
    await exportsOf().deleteOne({ _id: result._id });
    const report = await verifyExport(store, path);
    expect(report.export_id).toBe(result._id);
    expect(report.problems).toEqual([`export ${result._id} is not recorded in the store`]);
    expect(report.files.map((f) => f.status)).toEqual(["ok"]);
    expect((await verifyExport(store, other._id)).ok).toBe(true);
  });

  it("finds a manifest whose line count or files were edited, and one naming no export", async () => {
    const path = out("edited");
    const result = await exportDataset(store, {}, { path });
    const manifestPath = join(path, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, files: [{ ...manifest.files[0], records: 9 }] }));
    expect((await verifyExport(store, path)).files[0]).toMatchObject({ status: "changed", records: 8, expected_records: 9 });
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, files: [...manifest.files, { split: "test", file: "test.jsonl", records: 1, sha256: "0".repeat(64) }] }));
    expect((await verifyExport(store, path)).problems).toEqual(["test.jsonl is missing", "the manifest's checksum of test.jsonl differs from the store's record"]);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, export_id: undefined }));
    expect((await verifyExport(store, result._id)).problems[0]).toBe("the folder now holds export (unknown)");
  });
});
