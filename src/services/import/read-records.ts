/**
 * Reads JSONL/NDJSON line by line (constant memory), or a JSON array (read whole). Each record
 * carries its line number (for an array, its position) so errors can point at it. Bytes that are
 * not UTF-8, lines nested too deep and lines too long are errors of their line, never silently
 * altered.
 */
import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { InvalidInputError } from "../../errors.js";
import { MAX_JSON_DEPTH, parseBoundedJson } from "./bounded-json.js";

export interface RawRecord {
  line: number;
  raw: string;
  value?: unknown;
  error?: string;
}

/** Larger than any real record; a longer line is refused instead of filling memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const NEWLINE = 10;

async function startsWithArray(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return /^\s*\[/.test(buffer.subarray(0, bytesRead).toString("utf8").replace(/^\uFEFF/, ""));
  } finally {
    await handle.close();
  }
}

function decodeLine(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function parseLine(line: number, bytes: Buffer): RawRecord | undefined {
  if (bytes.length > MAX_LINE_BYTES) return { line, raw: "", error: `line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB` };
  const text = decodeLine(bytes);
  if (text === undefined) return { line, raw: bytes.toString("utf8").slice(0, 200), error: "not valid UTF-8 (convert the file to UTF-8)" };
  const raw = (line === 1 ? text.replace(/^\uFEFF/, "") : text).replace(/\r$/, "");
  if (raw.trim() === "") return undefined;
  try {
    return { line, raw, value: parseBoundedJson(raw) };
  } catch (error) {
    const why = error instanceof InvalidInputError ? `nested deeper than ${MAX_JSON_DEPTH} levels` : `not valid JSON (${(error as Error).message})`;
    return { line, raw: raw.slice(0, 200), error: why };
  }
}

export async function* readRecords(path: string): AsyncGenerator<RawRecord> {
  if (await startsWithArray(path)) {
    yield* readArray(path);
    return;
  }
  let line = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      const bytes = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      start = end + 1;
      const record = parseLine(++line, bytes);
      if (record) yield record;
    }
    // Past the limit only the length matters: keep nothing more of that line.
    if (pendingBytes <= MAX_LINE_BYTES) pending.push(chunk.subarray(start));
    pendingBytes += chunk.length - start;
  }
  if (pendingBytes > 0) {
    const record = parseLine(++line, pendingBytes > MAX_LINE_BYTES ? Buffer.alloc(MAX_LINE_BYTES + 1) : Buffer.concat(pending));
    if (record) yield record;
  }
}

async function* readArray(path: string): AsyncGenerator<RawRecord> {
  const text = decodeLine(await readFile(path));
  if (text === undefined) {
    yield { line: 1, raw: "", error: "the JSON array is not valid UTF-8 (convert the file to UTF-8)" };
    return;
  }
  let items: unknown;
  try {
    items = parseBoundedJson(text.replace(/^\uFEFF/, ""), MAX_JSON_DEPTH + 1);
  } catch (error) {
    const why = error instanceof InvalidInputError ? `its records nest deeper than ${MAX_JSON_DEPTH} levels` : (error as Error).message;
    yield { line: 1, raw: text.slice(0, 200), error: `not a valid JSON array (${why})` };
    return;
  }
  const list = items as unknown[];
  for (let i = 0; i < list.length; i++) yield { line: i + 1, raw: JSON.stringify(list[i]), value: list[i] };
}
