/**
 * What the next command does with exports a kill left behind, in-process (the CLI's kill tests run
 * the built binary in child processes): an `incomplete` record is undone (marks, folder, record),
 * a `publishing` one is finished (folder moved into place, `latest`, state), and records of live
 * processes or other machines are left alone. Also the listing and lookup of exports.
 */
import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/errors.js";
import type { ExportDoc } from "../../src/schema/export.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { removeLeftovers } from "../../src/services/export/dataset-folder.js";
import { exportDataset } from "../../src/services/export/export-dataset.js";
import { getExport, listExports, verifyExport } from "../../src/services/exports.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { queuedExamples } from "../helpers/fixtures.js";
import { dataFiles } from "../helpers/export-files.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
/** No process has this id: the record's owner was killed. */
const DEAD_PID = 999_999_999;
let store: Store;

beforeEach(async () => {
  store = await openStore(":memory:");
  await store.collection(COLLECTIONS.queue).insertMany(queuedExamples(12, (i) => ({ _id: `q-${String(i).padStart(3, "0")}` as never, user_id: `learner-${i % 4}` })));
});
afterEach(async () => {
  await store.close();
});

const exportsOf = () => store.collection<ExportDoc>(COLLECTIONS.exports);
const queue = () => store.collection<QueueItemDoc>(COLLECTIONS.queue);

/** Turns a finished export back into what a kill at `state` leaves: its record owned by a dead process, its folder still hidden. */
async function strand(id: string, state: "incomplete" | "publishing", owner = { host: hostname(), pid: DEAD_PID }): Promise<ExportDoc> {
  const record = (await exportsOf().findOne({ _id: id }))!;
  await exportsOf().updateOne({ _id: id }, { $set: { state, owner } });
  renameSync(record.folder!.destination, record.folder!.temp);
  return { ...record, state, owner };
}

describe("recovering an export killed before its commit (incomplete)", () => {
  it("removes its hidden folder, its record and its marks, keeping another export's marks", async () => {
    const other = await exportDataset(store, { mark_used: true, limit: 3, dedup: false, split_by: "example" }, { path: out("other") });
    const path = out("killed");
    const killed = await exportDataset(store, { mark_used: true, include_used: true, dedup: false }, { path });
    expect(await queue().countDocuments({ exports: killed._id })).toBe(12);
    const record = await strand(killed._id, "incomplete");

    const listed = await listExports(store);
    expect(listed.map((e) => e._id)).toEqual([other._id]);
    expect(existsSync(record.folder!.temp)).toBe(false);
    expect(existsSync(path)).toBe(false);
    const items = await queue().find({}, { sort: { _id: 1 } }).toArray();
    expect(items.filter((item) => item.used_in_training).map((item) => item.exports)).toEqual([[other._id], [other._id], [other._id]]);
    expect(items.filter((item) => !item.used_in_training).every((item) => item.exports.length === 0)).toBe(true);
  });

  it("is undone by the next export before it reads anything, so its examples are free again", async () => {
    const killed = await exportDataset(store, { mark_used: true, dedup: false }, { path: out("killed-before-next") });
    await strand(killed._id, "incomplete");
    const next = await exportDataset(store, { mark_used: true, dedup: false }, { path: out("next") });
    expect(next.counts.records).toBe(12);
    expect((await exportsOf().find({}).toArray()).map((e) => e._id)).toEqual([next._id]);
  });

  it("of a stream is undone too, and other killed exports' leftovers beside a folder are swept", async () => {
    const streamed = await exportDataset(store, { mark_used: true, limit: 2, dedup: false }, { stream: devNull() });
    await exportsOf().updateOne({ _id: streamed._id }, { $set: { state: "incomplete", owner: { host: hostname(), pid: DEAD_PID } } });
    const path = out("beside");
    const killed = await exportDataset(store, { limit: 1 }, { path });
    await strand(killed._id, "incomplete");
    const leftover = join(dirname(path), `.another.${DEAD_PID}-abc123.tmp`);
    mkdirSync(leftover);
    expect(await listExports(store)).toEqual([]);
    expect(existsSync(leftover)).toBe(false);
    expect(await queue().countDocuments({ used_in_training: true })).toBe(0);
  });

  it("is left alone while its process lives, or when another machine made it", async () => {
    const live = await exportDataset(store, { limit: 2 }, { path: out("live") });
    const elsewhere = await exportDataset(store, { limit: 2 }, { path: out("elsewhere") });
    await strand(live._id, "incomplete", { host: hostname(), pid: process.pid });
    await strand(elsewhere._id, "incomplete", { host: `not-${hostname()}`, pid: DEAD_PID });
    const listed = await listExports(store);
    expect(listed.map((e) => [e._id, e.state]).sort()).toEqual([
      [elsewhere._id, "incomplete"],
      [live._id, "incomplete"],
    ].sort());
  });
});

describe("recovering an export killed after its commit (publishing)", () => {
  it("moves its folder into place and marks it complete", async () => {
    const path = out("publishing");
    const killed = await exportDataset(store, { split: [0.5, 0.5] }, { path });
    await strand(killed._id, "publishing");
    expect(existsSync(path)).toBe(false);
    const found = await getExport(store, killed._id);
    expect(found.state).toBe("complete");
    expect(dataFiles(path)).toEqual(["manifest.json", "train.jsonl", "validation.jsonl"]);
    expect(readdirSync(dir).filter((name) => name.startsWith(`.${basename(path)}.`))).toEqual([]);
    expect((await verifyExport(store, killed._id)).ok).toBe(true);
  });

  it("points a missing latest link at it, and leaves a latest that a newer export owns", async () => {
    const root = out("exports");
    const killed = await exportDataset(store, {}, { under: root });
    rmSync(join(root, "latest"));
    await strand(killed._id, "publishing");
    await listExports(store);
    expect(readlinkSync(join(root, "latest"))).toBe(killed._id);

    const older = await exportDataset(store, {}, { under: root });
    const newer = await exportDataset(store, {}, { under: root });
    await strand(older._id, "publishing");
    await listExports(store);
    expect(readlinkSync(join(root, "latest"))).toBe(newer._id);
    expect(existsSync(join(root, older._id, "manifest.json"))).toBe(true);
  });
});

describe("leftover folders of killed exports", () => {
  it("bring back a dataset moved aside when nothing took its place, and remove the others", async () => {
    const parent = out("leftovers");
    mkdirSync(parent);
    const aside = (name: string, kind: "tmp" | "old", pid = DEAD_PID) => {
      const path = join(parent, `.${name}.${pid}-abc123.${kind}`);
      mkdirSync(path);
      writeFileSync(join(path, "data.jsonl"), `${name} ${kind}\n`);
      return path;
    };
    aside("restored", "old");
    aside("replaced", "old");
    mkdirSync(join(parent, "replaced"));
    aside("unfinished", "tmp");
    const live = aside("live", "tmp", process.pid);
    writeFileSync(join(parent, ".not-a-leftover"), "");
    await removeLeftovers(parent);
    expect(readdirSync(parent).sort()).toEqual([".live." + `${process.pid}-abc123.tmp`, ".not-a-leftover", "replaced", "restored"].sort());
    expect(readdirSync(join(parent, "replaced"))).toEqual([]);
    expect(existsSync(join(parent, "restored", "data.jsonl"))).toBe(true);
    expect(existsSync(live)).toBe(true);
    expect(dirname(live)).toBe(parent);
  });

  it("leave a missing folder as it is", async () => {
    await expect(removeLeftovers(join(dir, "never-made"))).resolves.toBeUndefined();
  });
});

describe("the list and lookup of exports", () => {
  it("lists the newest first, at most the limit, and refuses a limit out of range", async () => {
    const ids: string[] = [];
    for (let day = 1; day <= 3; day++) ids.push((await exportDataset(store, { include_used: true }, { stream: devNull() }, { now: new Date(`2026-01-0${day}T00:00:00Z`) }))._id);
    expect((await listExports(store)).map((e) => e._id)).toEqual([...ids].reverse());
    expect((await listExports(store, { limit: 2 })).map((e) => e._id)).toEqual([ids[2], ids[1]]);
    await expect(listExports(store, { limit: 0 })).rejects.toThrow("invalid export listing: limit: Too small: expected number to be >=1");
  });

  it("lists exports made at the same moment by id, newest id first", async () => {
    const now = new Date("2026-01-05T00:00:00Z");
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await exportDataset(store, { include_used: true }, { stream: devNull() }, { now }))._id);
    expect((await listExports(store)).map((e) => e._id)).toEqual([...ids].sort().reverse());
  });

  it("says how many examples an export marked, and names an unknown id", async () => {
    const marked = await exportDataset(store, { mark_used: true, limit: 4, dedup: false, split_by: "example" }, { path: out("marked") });
    expect(await getExport(store, marked._id)).toMatchObject({ _id: marked._id, state: "complete", examples_marked: 4 });
    const error = await getExport(store, "exp-nothing").catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe("no export with id exp-nothing (see lexi exports list)");
    await expect(getExport(store, "$where")).rejects.toThrow("invalid export id: must not contain spaces or start with $");
  });
});

/** A stream that swallows what it is given. */
function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
