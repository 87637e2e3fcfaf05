/**
 * The shared import loop: validate every record, then write in batches. By default nothing is
 * written when any record is invalid; with `skipInvalid` the valid ones are written and the
 * rejected ones saved, with their reasons, beside the input.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidInputError, LexiError } from "../../errors.js";
import { readRecords } from "./read-records.js";

export type ImportSource = { path: string } | { stream: Readable };

export interface Importer<T> {
  what: string;
  /** Throws an InvalidInputError (or NotFoundError) for a record that cannot be written. */
  validate(value: unknown): T | Promise<T>;
  writeBatch(items: T[]): Promise<Record<string, number>>;
}

export interface ImportOptions {
  skipInvalid?: boolean;
  /** Where rejected records go with `skipInvalid`; default `<input>.rejected.jsonl` (stdin: ./stdin.rejected.jsonl). */
  rejectedPath?: string;
  batchSize?: number;
  onProgress?: (recordsRead: number) => void;
}

export interface ImportSummary {
  read: number;
  rejected: number;
  rejected_file: string | null;
  written: Record<string, number>;
}

const MAX_LISTED_ERRORS = 20;

export async function importRecords<T>(source: ImportSource, importer: Importer<T>, options: ImportOptions = {}): Promise<ImportSummary> {
  const spooled = "stream" in source ? await spool(source.stream) : undefined;
  const path = spooled?.path ?? (source as { path: string }).path;
  try {
    if (!options.skipInvalid) await validateAll(path, importer);
    return await writeAll(path, importer, options, spooled ? "stdin" : path);
  } finally {
    if (spooled) await rm(spooled.dir, { recursive: true, force: true });
  }
}

/** Copies a stream (stdin) to a temporary file, so it can be read twice in constant memory. */
async function spool(stream: Readable): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "lexi-import-"));
  const path = join(dir, "input.jsonl");
  await pipeline(stream, createWriteStream(path));
  return { dir, path };
}

async function check<T>(importer: Importer<T>, value: unknown): Promise<{ item?: T; error?: string }> {
  try {
    return { item: await importer.validate(value) };
  } catch (error) {
    if (error instanceof LexiError && (error.code === "invalid_input" || error.code === "not_found")) return { error: error.message };
    throw error;
  }
}

async function validateAll<T>(path: string, importer: Importer<T>): Promise<void> {
  const problems: string[] = [];
  let invalid = 0;
  let read = 0;
  for await (const record of readRecords(path)) {
    read++;
    const error = record.error ?? (await check(importer, record.value)).error;
    if (!error) continue;
    invalid++;
    if (problems.length < MAX_LISTED_ERRORS) problems.push(`line ${record.line}: ${error}`);
  }
  if (read === 0) throw new InvalidInputError(`no ${importer.what} records in the input`);
  if (invalid > 0) {
    const more = invalid > problems.length ? `\n  … and ${invalid - problems.length} more` : "";
    throw new InvalidInputError(
      `${invalid} of ${read} ${importer.what} records are invalid; nothing was written (use --skip-invalid to write the valid ones):\n  ${problems.join("\n  ")}${more}`,
      { details: problems },
    );
  }
}

async function writeAll<T>(path: string, importer: Importer<T>, options: ImportOptions, inputName: string): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 1000;
  const written: Record<string, number> = {};
  const rejectedPath = options.rejectedPath ?? (inputName === "stdin" ? "stdin.rejected.jsonl" : join(dirname(inputName), `${basename(inputName)}.rejected.jsonl`));
  let rejectedOut: ReturnType<typeof createWriteStream> | undefined;
  let rejected = 0;
  let read = 0;
  let batch: T[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const counts = await importer.writeBatch(batch);
    for (const [key, value] of Object.entries(counts)) written[key] = (written[key] ?? 0) + value;
    batch = [];
  };
  try {
    for await (const record of readRecords(path)) {
      read++;
      const { item, error } = record.error ? { item: undefined, error: record.error } : await check(importer, record.value);
      if (error !== undefined || item === undefined) {
        rejected++;
        rejectedOut ??= createWriteStream(rejectedPath);
        rejectedOut.write(`${JSON.stringify({ line: record.line, error, record: record.value ?? record.raw })}\n`);
        continue;
      }
      batch.push(item);
      if (batch.length >= batchSize) {
        await flush();
        options.onProgress?.(read);
      }
    }
    await flush();
    options.onProgress?.(read);
  } finally {
    if (rejectedOut) await new Promise((resolve) => rejectedOut!.end(resolve));
  }
  if (read === 0) throw new InvalidInputError(`no ${importer.what} records in the input`);
  return { read, rejected, rejected_file: rejected ? rejectedPath : null, written };
}
