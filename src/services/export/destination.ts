/**
 * Where an export's folder goes, and the checks that keep it from overwriting what it must not:
 * the store itself, a device or other special file, a symbolic link, a folder of other files, or
 * another export unless the caller forces its replacement.
 */
import { constants } from "node:fs";
import { access, lstat, mkdir, readdir, readFile, realpath } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { ConflictError, InvalidInputError } from "../../errors.js";

export interface Destination {
  /** The folder as the user named it (printed paths start with it). */
  shown: string;
  folder: string;
  /** Set for default destinations: the folder holding them and their `latest` link. */
  latestRoot: string | null;
  /** The export whose folder is replaced (with force). */
  replaces: string | null;
}

export const MANIFEST = "manifest.json";

/** The export id a dataset folder's manifest names, or null if it holds no manifest. */
export async function manifestExportId(folder: string): Promise<string | null> {
  const text = await readFile(join(folder, MANIFEST), "utf8").catch(() => null);
  if (text === null) return null;
  try {
    const id = (JSON.parse(text) as { export_id?: unknown }).export_id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

async function lstatOrNull(path: string) {
  return lstat(path).catch(() => null);
}

async function ensureWritable(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new InvalidInputError(`cannot write to ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** The real path of the store file when the store is a local file, else null. */
async function storeFile(storeLocation: string | null): Promise<string | null> {
  if (!storeLocation || storeLocation === ":memory:" || /^mongodb(\+srv)?:/i.test(storeLocation)) return null;
  const path = storeLocation.replace(/^sqlite:/, "");
  return realpath(path).catch(() => resolve(path));
}

/** A folder named by the user (`--out`). */
export async function explicitDestination(path: string, options: { force: boolean; storeLocation: string | null }): Promise<Destination> {
  if (/\.jsonl?$/i.test(path)) {
    throw new InvalidInputError(`--out names a folder for the dataset's files and its manifest (e.g. --out datasets/grammar); "${path}" looks like a file name. Use --out - for standard output`);
  }
  const folder = resolve(path);
  await ensureWritable(dirname(folder));
  const found = await lstatOrNull(folder);
  const store = await storeFile(options.storeLocation);
  if (store && (store === folder || store.startsWith(folder + sep))) throw new InvalidInputError(`--out ${path} is or holds the store (${options.storeLocation}); choose another folder`);
  if (found?.isSymbolicLink()) throw new InvalidInputError(`--out ${path} is a symbolic link; lexi writes only into a real folder`);
  if (found && !found.isDirectory()) {
    throw new InvalidInputError(`--out ${path} is ${found.isFile() ? "a file" : "a device or other special file"}; --out names a folder (or - for standard output)`);
  }
  let replaces: string | null = null;
  if (found && (await readdir(folder)).length > 0) {
    replaces = await manifestExportId(folder);
    if (!replaces) throw new InvalidInputError(`--out ${path} holds files that are not a lexi export; choose a new or empty folder`);
    if (!options.force) throw new ConflictError(`--out ${path} holds export ${replaces}; add --force to replace it whole, or choose another folder`);
  }
  return { shown: path, folder, latestRoot: null, replaces };
}

/** A new folder per export inside `root`, named by the export id; `root/latest` links to the newest. */
export async function defaultDestination(root: string, exportId: string): Promise<Destination> {
  const folder = resolve(root, exportId);
  await ensureWritable(resolve(root));
  const latest = await lstatOrNull(join(root, "latest"));
  if (latest && !latest.isSymbolicLink()) throw new InvalidInputError(`${join(root, "latest")} is not the link lexi keeps to the newest export; move it away first`);
  return { shown: join(root, exportId), folder, latestRoot: resolve(root), replaces: null };
}
