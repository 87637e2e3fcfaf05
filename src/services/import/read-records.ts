/**
 * Reads JSONL/NDJSON line by line (constant memory), or a JSON array (read whole). Each record
 * carries its line number (for an array, its position) so errors can point at it.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";

export interface RawRecord {
  line: number;
  raw: string;
  value?: unknown;
  error?: string;
}

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

export async function* readRecords(path: string): AsyncGenerator<RawRecord> {
  if (await startsWithArray(path)) {
    yield* readArray(path);
    return;
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const raw = line === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (raw.trim() === "") continue;
    try {
      yield { line, raw, value: JSON.parse(raw) };
    } catch (error) {
      yield { line, raw, error: `not valid JSON (${(error as Error).message})` };
    }
  }
}

async function* readArray(path: string): AsyncGenerator<RawRecord> {
  const { readFile } = await import("node:fs/promises");
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (error) {
    yield { line: 1, raw: text.slice(0, 200), error: `not a valid JSON array (${(error as Error).message})` };
    return;
  }
  const list = items as unknown[];
  for (let i = 0; i < list.length; i++) yield { line: i + 1, raw: JSON.stringify(list[i]), value: list[i] };
}
