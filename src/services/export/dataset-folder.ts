/**
 * A dataset folder is published whole. Its files are written into a hidden folder beside the
 * destination (.<name>.<pid>-<hex>.tmp), fsynced, and the folder is renamed into place; an
 * earlier dataset there is first moved aside (.<name>.<pid>-<hex>.old) and removed after. Every
 * step can be redone after a kill, so a crashed publication is finished by the next run, and
 * readers never see a folder whose files come from two exports.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, readdir, rename, rm, symlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fsyncPath } from "./output-file.js";
import { phaseBoundary } from "./phase-hook.js";
import { processAlive } from "./process-alive.js";

/** Where a dataset is built and where an earlier one waits while it is replaced. */
export interface FolderPlan {
  destination: string;
  temp: string;
  backup: string;
}

const LEFTOVER = /^\.(.+)\.(\d+)-[0-9a-f]{6}\.(tmp|old)$/;

export function planFolder(destination: string): FolderPlan {
  const tag = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const parent = dirname(destination);
  const name = basename(destination);
  return { destination, temp: join(parent, `.${name}.${tag}.tmp`), backup: join(parent, `.${name}.${tag}.old`) };
}

export async function createTempFolder(plan: FolderPlan): Promise<void> {
  await mkdir(dirname(plan.destination), { recursive: true });
  await mkdir(plan.temp);
}

/** Moves the finished folder into place (idempotent: a publication cut short is redone). */
export async function publishFolder(plan: FolderPlan): Promise<void> {
  if (existsSync(plan.temp)) {
    await fsyncPath(plan.temp);
    if (await exists(plan.destination)) await rename(plan.destination, plan.backup);
    await phaseBoundary("moved-aside");
    await rename(plan.temp, plan.destination);
    await fsyncPath(dirname(plan.destination));
  }
  await rm(plan.backup, { recursive: true, force: true });
}

/** Points `<root>/latest` at a dataset folder in `root`, replacing the link in one rename. */
export async function pointLatest(root: string, name: string): Promise<void> {
  const temp = join(root, `.latest.${process.pid}-${randomBytes(3).toString("hex")}.tmp`);
  await symlink(name, temp);
  await rename(temp, join(root, "latest"));
}

/**
 * Clears what killed exports left in `parent`: unfinished folders are removed, and an earlier
 * dataset that was moved aside comes back when nothing took its place. Call it after the
 * export records were recovered, which may still need these folders.
 */
export async function removeLeftovers(parent: string): Promise<void> {
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const match = LEFTOVER.exec(entry);
    if (!match || processAlive(Number(match[2]))) continue;
    const path = join(parent, entry);
    const original = join(parent, match[1]!);
    if (match[3] === "old" && !(await exists(original))) await rename(path, original);
    else await rm(path, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
