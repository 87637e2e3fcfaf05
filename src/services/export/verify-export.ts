/**
 * `lexi exports verify <id|folder>`: recomputes the checksum and line count of every file of a
 * dataset folder and compares them with its manifest and with the store's record of the export,
 * so a folder whose files disagree with its lineage is found out.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { NotFoundError } from "../../errors.js";
import type { ExportDoc } from "../../schema/export.js";
import { COLLECTIONS } from "../../store/collections.js";
import type { Store } from "../../store/store.js";
import { TRAINER_FILES } from "../../domain/trainer-files.js";
import { MANIFEST } from "./destination.js";
import { recoverExports } from "./export-record.js";

export interface VerifiedFile {
  split: string;
  file: string;
  status: "ok" | "changed" | "missing";
  records: number | null;
  expected_records: number;
  sha256: string | null;
  expected_sha256: string;
}

export interface Verification {
  export_id: string | null;
  directory: string | null;
  ok: boolean;
  files: VerifiedFile[];
  /** Files in the folder the manifest does not name. */
  extra_files: string[];
  /** Everything that disagrees, one sentence each. */
  problems: string[];
  /** Why there is nothing to check (an export streamed to standard output). */
  note?: string;
}

interface ManifestFile {
  split: string;
  file: string;
  records: number;
  sha256: string;
}

async function digest(path: string): Promise<{ sha256: string; records: number } | null> {
  const hash = createHash("sha256");
  let records = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      for (const byte of chunk) if (byte === 10) records++;
    }
  } catch {
    return null;
  }
  return { sha256: hash.digest("hex"), records };
}

async function readManifest(folder: string): Promise<{ export_id?: string; files?: ManifestFile[] } | null> {
  const text = await readFile(join(folder, MANIFEST), "utf8").catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `target`: an export id, a dataset folder or its manifest.json. */
export async function verifyExport(store: Store, target: string): Promise<Verification> {
  await recoverExports(store);
  const exports = store.collection<ExportDoc>(COLLECTIONS.exports);
  const byId = /^exp-[\w-]+$/.test(target) ? await exports.findOne({ _id: target }) : null;
  const problems: string[] = [];
  if (byId && !byId.directory) {
    return { export_id: byId._id, directory: null, ok: true, files: [], extra_files: [], problems: [], note: "streamed to standard output: no files to verify" };
  }
  let folder = byId ? byId.directory! : resolve(target);
  if (!byId && basename(folder) === MANIFEST) folder = dirname(folder);
  if (!byId && !(await stat(folder).then((s) => s.isDirectory(), () => false))) throw new NotFoundError(`no export with id or folder ${target} (see lexi exports list)`);
  const manifest = await readManifest(folder);
  const exportId = byId?._id ?? manifest?.export_id ?? null;
  const record = byId ?? (exportId ? await exports.findOne({ _id: exportId }) : null);
  if (!manifest) problems.push(`${join(folder, MANIFEST)} is missing or unreadable`);
  else if (byId && manifest.export_id !== byId._id) problems.push(`the folder now holds export ${manifest.export_id ?? "(unknown)"}${byId.replaced_by ? ` (export ${byId._id} was replaced by it)` : ""}`);
  if (!record) problems.push(`export ${exportId ?? "(unknown)"} is not recorded in the store`);
  else if (record.state !== "complete") problems.push(`export ${record._id} is ${record.state}`);
  // The record's files are the reference when the folder holds another export or no manifest.
  const reference: ManifestFile[] =
    manifest?.files && manifest.export_id === exportId ? manifest.files : (record?.files ?? []).map((f) => ({ split: f.split, file: basename(f.path), records: f.records, sha256: f.sha256 }));
  const files: VerifiedFile[] = [];
  for (const expected of reference) {
    const found = await digest(join(folder, expected.file));
    const status = !found ? "missing" : found.sha256 === expected.sha256 && found.records === expected.records ? "ok" : "changed";
    files.push({ split: expected.split, file: expected.file, status, records: found?.records ?? null, expected_records: expected.records, sha256: found?.sha256 ?? null, expected_sha256: expected.sha256 });
    if (status !== "ok") problems.push(`${expected.file} is ${status}`);
    const recorded = record?.files.find((f) => f.split === expected.split);
    if (record && manifest?.export_id === record._id && recorded?.sha256 !== expected.sha256) problems.push(`the manifest's checksum of ${expected.file} differs from the store's record`);
  }
  const named = new Set<string>([MANIFEST, ...TRAINER_FILES, ...reference.map((f) => f.file)]);
  const extra_files = ((await readdir(folder).catch(() => [])) as string[]).filter((name) => !named.has(name)).sort();
  for (const name of extra_files) problems.push(`${name} is not part of the export`);
  return { export_id: exportId, directory: folder, ok: problems.length === 0, files, extra_files, problems };
}
