/**
 * Reads JSONL/NDJSON line by line (constant memory), or a JSON array (read whole), from one pass
 * over a stream: a file, a pipe (`<(zcat …)`, a FIFO) or standard input, none of which needs to be
 * seekable. Each record carries its line number (for an array, its position) so errors can point
 * at it. Bytes that are not UTF-8, lines nested too deep and lines too long are errors of their
 * line, never silently altered.
 */
import { InvalidInputError, LexiError } from "../../errors.js";
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
const OPEN_BRACKET = 0x5b;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);

type Shape = "array" | "lines";

/** What the first byte that is not a BOM or blank says, or undefined while there is none yet. */
function shapeOf(head: Buffer): Shape | undefined {
  let i = UTF8_BOM.every((byte, k) => head[k] === byte) ? UTF8_BOM.length : 0;
  while (i < head.length && BLANK.has(head[i]!)) i++;
  if (i === head.length) return undefined;
  return head[i] === OPEN_BRACKET ? "array" : "lines";
}

/** The bytes as text; the decoder drops a leading byte order mark itself. */
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
  const raw = text.replace(/\r$/, "");
  if (raw.trim() === "") return undefined;
  try {
    return { line, raw, value: parseBoundedJson(raw) };
  } catch (error) {
    const why = error instanceof InvalidInputError ? `nested deeper than ${MAX_JSON_DEPTH} levels` : `not valid JSON (${(error as Error).message})`;
    return { line, raw: raw.slice(0, 200), error: why };
  }
}

/**
 * Whether an error of a record's check refuses that record (the import lists it by line, skips
 * or stops on it); any other error fails the import. The importing thread and its checking
 * worker both decide by this.
 */
export function refusesRecord(error: unknown): error is LexiError {
  return error instanceof LexiError && (error.code === "invalid_input" || error.code === "not_found");
}

/** How far a reader has got, in bytes of its input. */
export interface ReadPosition {
  bytes: number;
}

/** Reads `input` (a stream's chunks) to its end, counting in `position` the bytes taken; stopping early (a break, an error) destroys a stream. */
export async function* readRecords(input: AsyncIterable<Buffer | string>, position: ReadPosition = { bytes: 0 }): AsyncGenerator<RawRecord> {
  const source = input[Symbol.asyncIterator]();
  const chunks: AsyncIterator<Buffer> = {
    next: async () => {
      const next = await source.next();
      if (next.done) return next;
      // A stream with an encoding gives text.
      const bytes = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      position.bytes += bytes.length;
      return { done: false, value: bytes };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
  const head: Buffer[] = [];
  let shape: Shape | undefined;
  try {
    while (shape === undefined) {
      const next = await chunks.next();
      if (next.done) break;
      head.push(Buffer.from(next.value));
      shape = shapeOf(Buffer.concat(head));
    }
    const rest = { [Symbol.asyncIterator]: () => chunks };
    if (shape === "array") yield* arrayRecords(head, rest);
    else yield* lineRecords(head, rest);
  } finally {
    await chunks.return?.();
  }
}

async function* lineRecords(head: Buffer[], rest: AsyncIterable<Buffer>): AsyncGenerator<RawRecord> {
  let line = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  async function* all(): AsyncGenerator<Buffer> {
    yield* head;
    yield* rest;
  }
  for await (const chunk of all()) {
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

async function* arrayRecords(head: Buffer[], rest: AsyncIterable<Buffer>): AsyncGenerator<RawRecord> {
  const parts = [...head];
  for await (const chunk of rest) parts.push(chunk);
  const text = decodeLine(Buffer.concat(parts));
  if (text === undefined) {
    yield { line: 1, raw: "", error: "the JSON array is not valid UTF-8 (convert the file to UTF-8)" };
    return;
  }
  let items: unknown;
  try {
    items = parseBoundedJson(text, MAX_JSON_DEPTH + 1);
  } catch (error) {
    const why = error instanceof InvalidInputError ? `its records nest deeper than ${MAX_JSON_DEPTH} levels` : (error as Error).message;
    yield { line: 1, raw: text.slice(0, 200), error: `not a valid JSON array (${why})` };
    return;
  }
  const list = items as unknown[];
  for (let i = 0; i < list.length; i++) yield { line: i + 1, raw: JSON.stringify(list[i]), value: list[i] };
}
