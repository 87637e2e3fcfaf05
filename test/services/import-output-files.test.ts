/**
 * The rejects file of an import (`--skip-invalid`, `--rejected`): where it goes, what it refuses to
 * write over, and that the real name only ever holds a complete file.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { ObjectId } from "bson";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import { checkOutputPath } from "../../src/services/files/output-path.js";
import { importInteractions } from "../../src/services/intake-import.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";

const { dir, cleanup } = tempDir("lexi-output-files-");
afterAll(cleanup);

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
let folders = 0;
/** A fresh folder per test, so its listing shows every file the test left. */
function folder(): string {
  const path = join(dir, `case-${++folders}`);
  mkdirSync(path);
  return path;
}
const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as Error);

describe("checkOutputPath refuses what must not be written over, naming the flag and why", () => {
  const here = folder();
  const input = join(here, "data.jsonl");
  const db = join(here, "lexi.db");
  writeFileSync(input, "{}\n");
  writeFileSync(db, "store");
  const guard = { flag: "--rejected", inputs: [input], storePath: db };
  const refused = (path: string, why: string) => expect(checkOutputPath(path, guard)).rejects.toThrow(new InvalidInputError(`--rejected ${path}: ${why}; choose another file`));

  it("the input file and the store with its journal files, existing or not", async () => {
    await refused(input, "is the input file");
    for (const suffix of ["", "-wal", "-shm", "-journal"]) await refused(`${db}${suffix}`, "is the store");
    await expect(checkOutputPath(db, { flag: "--out", storePath: db })).rejects.toThrow(`--out ${db}: is the store; choose another file`);
  });

  it("the input or the store under another name: a hard link, or the file behind the link the input was given as", async () => {
    linkSync(input, join(here, "alias.jsonl"));
    linkSync(db, join(here, "alias.db"));
    await refused(join(here, "alias.jsonl"), "is the input file (another name for it)");
    await refused(join(here, "alias.db"), "is the store (another name for it)");
    const real = join(here, "real.jsonl");
    writeFileSync(real, "{}\n");
    symlinkSync(real, join(here, "given.jsonl"));
    await expect(checkOutputPath(real, { flag: "--rejected", inputs: [join(here, "given.jsonl")] })).rejects.toThrow("is the input file (another name for it)");
  });

  it("a symbolic link, even to a harmless file, a folder, a device, and a folder that does not exist", async () => {
    writeFileSync(join(here, "victim.txt"), "keep me");
    symlinkSync(join(here, "victim.txt"), join(here, "planted.jsonl"));
    symlinkSync(join(here, "nowhere"), join(here, "dangling.jsonl"));
    await refused(join(here, "planted.jsonl"), "is a symbolic link, and lexi does not follow links for files it writes");
    await refused(join(here, "dangling.jsonl"), "is a symbolic link, and lexi does not follow links for files it writes");
    await refused(here, "is a folder");
    await refused("/dev/null", "is a device or special file");
    await refused(join(here, "no", "r.jsonl"), `its folder ${join(here, "no")} does not exist`);
    await refused(join(input, "r.jsonl"), `its folder ${input} does not exist`);
    expect(readFileSync(join(here, "victim.txt"), "utf8")).toBe("keep me");
  });

  it("accepts a new file and an existing one of the user's, and answers with the absolute path", async () => {
    writeFileSync(join(here, "old-rejects.jsonl"), "old");
    await expect(checkOutputPath(join(here, "new.jsonl"), guard)).resolves.toBe(join(here, "new.jsonl"));
    await expect(checkOutputPath(join(here, "old-rejects.jsonl"), guard)).resolves.toBe(join(here, "old-rejects.jsonl"));
    await expect(checkOutputPath("relative.jsonl", { flag: "--rejected" })).resolves.toBe(resolve("relative.jsonl"));
  });

  it("an in-memory store is no file: a file named :memory: is the user's", async () => {
    await expect(checkOutputPath(":memory:", { flag: "--rejected", storePath: ":memory:" })).resolves.toBe(resolve(":memory:"));
  });
});

describe("the rejects file of an import", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(":memory:");
  });
  afterEach(async () => {
    await store.close();
  });
  const count = () => store.collection(COLLECTIONS.interactions).countDocuments();
  /** Five records, the third invalid. */
  function mixedInput(into: string): string {
    const records: unknown[] = demoInteractions(5, 31);
    records[2] = { broken: true };
    const path = join(into, "mixed.jsonl");
    writeFileSync(path, jsonl(records));
    return path;
  }

  it("is refused before anything is written, with the flag the user gave, or as the default rejects file", async () => {
    const here = folder();
    const input = mixedInput(here);
    writeFileSync(join(here, "victim.txt"), "keep me");
    symlinkSync(join(here, "victim.txt"), `${input}.rejected.jsonl`);
    const byDefault = await failure(importInteractions(store, { path: input }, { skipInvalid: true }));
    expect(byDefault).toBeInstanceOf(InvalidInputError);
    expect(byDefault.message).toBe(`the rejects file ${input}.rejected.jsonl: is a symbolic link, and lexi does not follow links for files it writes; choose another file`);
    const chosen = await failure(importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: input }));
    expect(chosen.message).toBe(`--rejected ${input}: is the input file; choose another file`);
    expect(await count()).toBe(0);
    expect(readFileSync(join(here, "victim.txt"), "utf8")).toBe("keep me");
  });

  it("is never the store of a file-backed import", async () => {
    const here = folder();
    const db = join(here, "lexi.db");
    const fileStore = await openStore(db);
    try {
      const error = await failure(importInteractions(fileStore, { path: mixedInput(here) }, { skipInvalid: true, rejectedPath: `${db}-wal` }));
      expect(error.message).toBe(`--rejected ${db}-wal: is the store; choose another file`);
      expect(await fileStore.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
    } finally {
      await fileStore.close();
    }
  });

  it("goes beside the input and holds each rejected line with its reason", async () => {
    const here = folder();
    const input = mixedInput(here);
    const summary = await importInteractions(store, { path: input }, { skipInvalid: true });
    expect(summary).toMatchObject({ read: 5, rejected: 1, rejected_file: `${input}.rejected.jsonl` });
    const lines = readFileSync(`${input}.rejected.jsonl`, "utf8").split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ line: 3, record: { broken: true } });
    expect(lines[1]).toBe("");
    expect(readdirSync(here).sort()).toEqual(["mixed.jsonl", "mixed.jsonl.rejected.jsonl"]);
    expect(await count()).toBe(4);
  });

  it("is not created when nothing is rejected, and an earlier one is left as it was", async () => {
    const here = folder();
    const input = join(here, "clean.jsonl");
    writeFileSync(input, jsonl(demoInteractions(4, 32)));
    const summary = await importInteractions(store, { path: input }, { skipInvalid: true });
    expect(summary).toMatchObject({ read: 4, rejected: 0, rejected_file: null });
    expect(readdirSync(here)).toEqual(["clean.jsonl"]);
    writeFileSync(join(here, "earlier.jsonl"), "earlier rejects\n");
    await importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: join(here, "earlier.jsonl") });
    expect(readFileSync(join(here, "earlier.jsonl"), "utf8")).toBe("earlier rejects\n");
    expect(readdirSync(here).sort()).toEqual(["clean.jsonl", "earlier.jsonl"]);
  });

  it("replaces an earlier file only when the import succeeds; a failed import leaves it and no temporary file", async () => {
    const here = folder();
    const taken = new ObjectId();
    await logInteraction(store, { ...demoInteractions(1, 3)[0]!, _id: { $oid: taken.toHexString() } });
    const records: unknown[] = demoInteractions(6, 33);
    records[1] = { broken: true };
    records[4] = { ...(records[4] as object), _id: taken.toHexString() };
    const input = join(here, "conflict.jsonl");
    writeFileSync(input, jsonl(records));
    const rejects = join(here, "rejects.jsonl");
    writeFileSync(rejects, "earlier rejects\n");
    const error = await failure(importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: rejects }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(readFileSync(rejects, "utf8")).toBe("earlier rejects\n");
    expect(readdirSync(here).sort()).toEqual(["conflict.jsonl", "rejects.jsonl"]);
    expect(await count()).toBe(1);

    records[4] = demoInteractions(1, 34)[0];
    writeFileSync(input, jsonl(records));
    expect(await importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: rejects })).toMatchObject({ rejected: 1, rejected_file: rejects });
    expect(readFileSync(rejects, "utf8").trim().split("\n").map((line) => JSON.parse(line).line)).toEqual([2]);
    expect(readdirSync(here).sort()).toEqual(["conflict.jsonl", "rejects.jsonl"]);
  });

  it("reaches the disk under a temporary name as rejects accumulate, and takes its real name only once complete", async () => {
    const here = folder();
    const good = demoInteractions(200, 35);
    // Every other record rejected, each carrying 1 kB: 100 kB of rejects, more than is held in memory.
    const records = good.flatMap((record, i) => [record, { broken: `${i}`.padEnd(1000, "x") }]);
    const input = join(here, "large.jsonl");
    writeFileSync(input, jsonl(records));
    const rejects = join(here, "rejects.jsonl");
    const duringImport: { names: string[]; bytes: number }[] = [];
    const snapshot = () => {
      const names = readdirSync(here).sort();
      const bytes = names.filter((name) => name !== "large.jsonl").reduce((sum, name) => sum + statSync(join(here, name)).size, 0);
      duringImport.push({ names, bytes });
    };
    const summary = await importInteractions(store, { path: input }, { skipInvalid: true, rejectedPath: rejects, batchSize: 20, onProgress: snapshot });
    expect(summary).toMatchObject({ read: 400, rejected: 200 });
    const last = duringImport.at(-1)!;
    // A hidden file beside the real name, already holding most of the rejects; the real name not there yet.
    expect(last.names).toHaveLength(2);
    expect(last.names).not.toContain("rejects.jsonl");
    expect(last.names.find((name) => name !== "large.jsonl")).toMatch(/^\.rejects\.jsonl\..+\.tmp$/);
    expect(last.bytes).toBeGreaterThanOrEqual(64 * 1024);
    const written = readFileSync(rejects, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(written.map((entry) => entry.line)).toEqual(Array.from({ length: 200 }, (_, i) => 2 * i + 2));
    expect(written[199].record.broken).toBe("199".padEnd(1000, "x"));
    expect(readdirSync(here).sort()).toEqual(["large.jsonl", "rejects.jsonl"]);
  });

  it("of standard input goes to the working folder as stdin.rejected.jsonl", async () => {
    const path = resolve("stdin.rejected.jsonl");
    expect(existsSync(path)).toBe(false);
    try {
      const records: unknown[] = demoInteractions(3, 36);
      records[1] = { broken: true };
      const summary = await importInteractions(store, { stream: Readable.from([jsonl(records)]) }, { skipInvalid: true });
      expect(summary).toMatchObject({ read: 3, rejected: 1, rejected_file: path });
      expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ line: 2, record: { broken: true } });
    } finally {
      rmSync(path, { force: true });
    }
  });
});

describe("checkOutputPath and links above the file", () => {
  it("accepts a file in a folder reached through a link: only the file itself must not be a link", async () => {
    const real = folder();
    const linked = join(dir, `linked-${folders}`);
    symlinkSync(real, linked);
    await expect(checkOutputPath(join(linked, "r.jsonl"), { flag: "--rejected" })).resolves.toBe(join(linked, "r.jsonl"));
  });
});
