/**
 * Checks a path a command is about to write before anything is opened: it must not be one of the
 * command's inputs, the store (or its journal files), a directory, a device or other special file,
 * or a symbolic link (a planted link would redirect the write). Reusable by every command that
 * writes a file the user named.
 */
import { lstat, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Stats } from "node:fs";
import { InvalidInputError } from "../../errors.js";

export interface OutputGuard {
  /** The flag the path came from, for messages (`--rejected`). */
  flag: string;
  /** Files the command reads. */
  inputs?: string[];
  /** The embedded store's file, if any. */
  storePath?: string;
}

const STORE_SIDE_FILES = ["", "-wal", "-shm", "-journal"];

async function statOrUndefined(path: string, follow: boolean): Promise<Stats | undefined> {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch {
    return undefined;
  }
}

const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

/**
 * Returns the absolute path when it is safe to create or replace; otherwise throws an
 * InvalidInputError that names the flag and says why.
 *
 * @example
 * await checkOutputPath("rejects.jsonl", { flag: "--rejected", inputs: ["data.jsonl"], storePath: ".lexi/lexi.db" })
 */
export async function checkOutputPath(path: string, guard: OutputGuard): Promise<string> {
  const target = resolve(path);
  const refuse = (why: string) => new InvalidInputError(`${guard.flag} ${path}: ${why}; choose another file`);
  const protectedFiles = [
    ...(guard.inputs ?? []).map((input) => ({ path: resolve(input), what: "is the input file" })),
    ...(guard.storePath && guard.storePath !== ":memory:"
      ? STORE_SIDE_FILES.map((suffix) => ({ path: resolve(guard.storePath + suffix), what: "is the store" }))
      : []),
  ];
  for (const file of protectedFiles) if (file.path === target) throw refuse(file.what);

  const own = await statOrUndefined(target, false);
  if (own) {
    if (own.isSymbolicLink()) throw refuse("is a symbolic link, and lexi does not follow links for files it writes");
    if (own.isDirectory()) throw refuse("is a folder");
    if (!own.isFile()) throw refuse("is a device or special file");
    for (const file of protectedFiles) {
      const other = await statOrUndefined(file.path, true);
      if (other && sameFile(own, other)) throw refuse(`${file.what} (another name for it)`);
    }
  }
  const folder = await statOrUndefined(dirname(target), true);
  if (!folder?.isDirectory()) throw refuse(`its folder ${dirname(target)} does not exist`);
  return target;
}
