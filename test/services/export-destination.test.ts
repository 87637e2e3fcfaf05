/**
 * Where an export may write, checked before anything is read: the messages a user gets for a file
 * name, a `latest` that is not lexi's link, a folder that cannot be made, and the store named
 * however its location was given (a path, `sqlite:` or a MongoDB URI, which is no folder).
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import { defaultDestination, explicitDestination, manifestExportId } from "../../src/services/export/destination.js";
import { tempDir } from "../helpers/cli.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);
const explicit = (path: string, storeLocation: string | null = null, force = false) => explicitDestination(path, { force, storeLocation });

describe("--out <folder>", () => {
  it.each(["data.jsonl", "data.JSON", "train.Jsonl"])("refuses %s, which looks like a file name", async (name) => {
    const path = join(dir, name);
    const error = await explicit(path).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`--out names a folder for the dataset's files and its manifest (e.g. --out datasets/grammar); "${path}" looks like a file name. Use --out - for standard output`);
  });

  it("accepts a name that only contains json, and a new or empty folder, creating its parent", async () => {
    const path = join(out("parent"), "jsonl-dataset");
    expect(await explicit(path)).toEqual({ shown: path, folder: path, latestRoot: null, replaces: null });
    expect(existsSync(join(path, ".."))).toBe(true);
    mkdirSync(path);
    expect((await explicit(path)).replaces).toBeNull();
  });

  it("keeps the path as the user wrote it for printing", async () => {
    const path = relative(process.cwd(), out("relative"));
    expect(await explicit(path)).toMatchObject({ shown: path, folder: join(process.cwd(), path) });
  });

  it("refuses the store or a folder holding it, however the store was named", async () => {
    const folder = out("with-store");
    mkdirSync(folder);
    const db = join(folder, "lexi.db");
    writeFileSync(db, "");
    for (const location of [db, `sqlite:${db}`]) {
      const error = await explicit(folder, location).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(`--out ${folder} is or holds the store (${location}); choose another folder`);
      await expect(explicit(db, location)).rejects.toThrow(/is or holds the store/);
    }
    // A store file that does not exist yet is compared by its resolved path.
    const future = join(out("future"), "new.db");
    await expect(explicit(join(future, ".."), future)).rejects.toThrow(/is or holds the store/);
    await expect(explicit(join(future, ".."), `sqlite:${future}`)).rejects.toThrow(/is or holds the store/);
    // A sibling whose name starts like the store's folder is not inside it.
    await expect(explicit(`${folder}-2`, db)).resolves.toMatchObject({ replaces: null });
  });

  it.each(["mongodb://localhost:27017/lexi", "mongodb+srv://cluster.example.net/lexi", "MONGODB://HOST/lexi", ":memory:"])("takes %s for no folder at all", async (location) => {
    const path = out("mongo");
    await expect(explicit(path, location)).resolves.toMatchObject({ folder: path });
  });

  it("names a special file and a plain file apart", async () => {
    const file = out("plain");
    writeFileSync(file, "x");
    await expect(explicit(file)).rejects.toThrow(`--out ${file} is a file; --out names a folder (or - for standard output)`);
    await expect(explicit("/dev/null")).rejects.toThrow("--out /dev/null is a device or other special file; --out names a folder (or - for standard output)");
  });

  it("replaces another export only when forced, naming it", async () => {
    const path = out("previous");
    mkdirSync(path);
    writeFileSync(join(path, "manifest.json"), JSON.stringify({ export_id: "exp-older" }));
    const refused = await explicit(path).catch((e) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(await explicit(path, null, true)).toEqual({ shown: path, folder: path, latestRoot: null, replaces: "exp-older" });
  });

  it("cannot write under a file, and says why", async () => {
    const file = out("blocker");
    writeFileSync(file, "x");
    const error = await explicit(join(file, "sub", "dataset")).catch((e: unknown) => e);
    expect(error).toEqual(new InvalidInputError(`cannot write to ${join(file, "sub")}: ENOTDIR`));
    // The system's own error stays attached for a library caller.
    expect((error as Error).cause).toMatchObject({ code: "ENOTDIR" });
  });

  it("reads a store location's scheme only at its start, and a folder name's .jsonl only at its end", async () => {
    for (const name of ["mongodb:lexi.db", "sqlite:data"]) {
      const folder = out(name.startsWith("mongodb") ? "with-odd-store" : name);
      mkdirSync(folder);
      const store = name.startsWith("mongodb") ? join(folder, name) : join(folder, "lexi.db");
      writeFileSync(store, "");
      await expect(explicit(folder, store)).rejects.toThrow(/is or holds the store/);
    }
    // Folders named like a location that holds no file are not the store.
    await expect(explicit(":memory:", ":memory:")).resolves.toMatchObject({ folder: resolve(":memory:") });
    await expect(explicit("mongodb:", "mongodb://localhost:27017/lexi")).resolves.toMatchObject({ folder: resolve("mongodb:") });
    await expect(explicit(out("exports.jsonl-archive"))).resolves.toMatchObject({ replaces: null });
  });
});

describe("the manifest's export id", () => {
  it("is read only when it is a string in readable JSON", async () => {
    const folder = out("manifests");
    mkdirSync(folder);
    const id = async (text: string | null) => {
      if (text !== null) writeFileSync(join(folder, "manifest.json"), text);
      return manifestExportId(folder);
    };
    expect(await id(null)).toBeNull();
    expect(await id(JSON.stringify({ export_id: "exp-1" }))).toBe("exp-1");
    expect(await id(JSON.stringify({ export_id: 7 }))).toBeNull();
    expect(await id("{ broken")).toBeNull();
  });
});

describe("--under <root>", () => {
  it("gives a new folder named by the export id, and refuses a latest that is not lexi's link", async () => {
    const root = out("root");
    expect(await defaultDestination(root, "exp-a")).toEqual({ shown: join(root, "exp-a"), folder: join(root, "exp-a"), latestRoot: root, replaces: null });
    expect(readdirSync(root)).toEqual([]);
    symlinkSync("exp-a", join(root, "latest"));
    await expect(defaultDestination(root, "exp-b")).resolves.toMatchObject({ latestRoot: root });
    const other = out("other-root");
    mkdirSync(join(other, "latest"), { recursive: true });
    await expect(defaultDestination(other, "exp-c")).rejects.toThrow(new InvalidInputError(`${join(other, "latest")} is not the link lexi keeps to the newest export; move it away first`));
  });
});
