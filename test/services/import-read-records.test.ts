/**
 * How an import reads its input: JSONL line by line or a JSON array, from chunks cut anywhere,
 * with the line numbers a user sees in messages and in the rejects file.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { jsonDepth, MAX_JSON_DEPTH } from "../../src/services/import/bounded-json.js";
import { MAX_LINE_BYTES, readRecords, type RawRecord } from "../../src/services/import/read-records.js";

async function read(chunks: (string | Buffer)[], position?: { bytes: number }): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readRecords(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), position)) records.push(record);
  return records;
}
/** `text` cut into pieces of `size` bytes, as a pipe may deliver it. */
function cut(text: string | Buffer, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}
const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

describe("JSONL", () => {
  it("numbers lines as an editor does: blank lines count, are skipped, and Windows line ends and a leading BOM are dropped", async () => {
    const text = '\uFEFF{"a":1}\r\n\r\n   \n{"a":2}\r\n\n{"a":3}';
    for (const chunks of [[text], cut(text, 1), cut(text, 5)]) {
      expect(await read(chunks)).toEqual([
        { line: 1, raw: '{"a":1}', value: { a: 1 } },
        { line: 4, raw: '{"a":2}', value: { a: 2 } },
        { line: 6, raw: '{"a":3}', value: { a: 3 } },
      ]);
    }
  });

  it("reads a stream that gives text (one with an encoding set), its bytes counted as UTF-8", async () => {
    const position = { bytes: 0 };
    const records: RawRecord[] = [];
    for await (const record of readRecords(Readable.from(['{"a":"Vi', 'ệt"}\n{"b"', ":2}\n"]), position)) records.push(record);
    expect(records).toEqual([
      { line: 1, raw: '{"a":"Việt"}', value: { a: "Việt" } },
      { line: 2, raw: '{"b":2}', value: { b: 2 } },
    ]);
    expect(position.bytes).toBe(Buffer.byteLength('{"a":"Việt"}\n{"b":2}\n'));
  });

  it("a line that is not JSON is named, with its first 200 characters kept for the rejects file", async () => {
    const long = `{"text": "${"y".repeat(300)}`;
    const [record] = await read([`${long}\n`]);
    expect(record!.line).toBe(1);
    expect(record!.error).toMatch(/^not valid JSON \(.+\)$/);
    expect(record!.raw).toBe(long.slice(0, 200));
    expect(record!.value).toBeUndefined();
  });

  it("a line that is not UTF-8 is named, and the lines after it still read", async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"a":2}\n')]);
    const records = await read([bytes]);
    expect(records[0]).toMatchObject({ line: 1, error: "not valid UTF-8 (convert the file to UTF-8)" });
    expect(records[0]!.raw).toBe(bytes.subarray(0, 10).toString("utf8"));
    expect(records[1]).toEqual({ line: 2, raw: '{"a":2}', value: { a: 2 } });
  });

  it("a line longer than the limit is refused without holding it, wherever it ends", async () => {
    const huge = `{"t":"${"z".repeat(MAX_LINE_BYTES)}"}`;
    const inMiddle = await read(cut(`{"a":1}\n${huge}\n{"a":3}\n`, 1 << 20));
    expect(inMiddle.map((record) => [record.line, record.error ?? record.value])).toEqual([
      [1, { a: 1 }],
      [2, "line is longer than 16 MB"],
      [3, { a: 3 }],
    ]);
    expect((await read([`{"a":1}\n${huge}\n`]))[1]).toEqual({ line: 2, raw: "", error: "line is longer than 16 MB" });
    expect((await read(cut(`{"a":1}\n${huge}`, 1 << 20)))[1]).toEqual({ line: 2, raw: "", error: "line is longer than 16 MB" });
    // Exactly at the limit is still a line.
    const atLimit = `"${"z".repeat(MAX_LINE_BYTES - 2)}"`;
    expect((await read(cut(`${atLimit}\n`, 1 << 20)))[0]).toMatchObject({ line: 1, value: "z".repeat(MAX_LINE_BYTES - 2) });
    expect((await read(cut(atLimit, 1 << 20)))[0]).toMatchObject({ line: 1, value: "z".repeat(MAX_LINE_BYTES - 2) });
  });

  it("measures a last line by its own bytes, however far into a large chunk it starts", async () => {
    const first = `"${"a".repeat(9 << 20)}"`;
    const last = `"${"b".repeat(7 << 20)}"`;
    const records = await read([Buffer.from(`${first}\n${last}`)]);
    expect(records.map((record) => [record.line, record.error ?? (record.value as string).length])).toEqual([
      [1, 9 << 20],
      [2, 7 << 20],
    ]);
  });

  it("keeps a line's inner carriage returns, dropping only the one that ends it", async () => {
    const [record] = await read(['{"a":1,\r"b":2}x\r\n']);
    expect(record).toMatchObject({ line: 1, raw: '{"a":1,\r"b":2}x', error: expect.stringMatching(/^not valid JSON/) });
  });

  it("keeps 200 characters of a line that is not UTF-8 for the rejects file", async () => {
    const bytes = Buffer.concat([Buffer.from(`"${"x".repeat(300)}`), Buffer.from([0xff]), Buffer.from('"\n')]);
    const [record] = await read([bytes]);
    expect(record).toMatchObject({ line: 1, error: "not valid UTF-8 (convert the file to UTF-8)" });
    expect(record!.raw).toBe(`"${"x".repeat(199)}`);
  });

  it("takes a file that starts with part of a BOM for lines, not for an array", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0x20, 0x20]), Buffer.from('[1]\n{"a":2}\n')]);
    expect(await read([bytes])).toEqual([
      expect.objectContaining({ line: 1, error: "not valid UTF-8 (convert the file to UTF-8)" }),
      { line: 2, raw: '{"a":2}', value: { a: 2 } },
    ]);
  });

  it("counts the bytes it has read, for progress", async () => {
    const text = '{"a":1}\n{"a":2}\n';
    const position = { bytes: 0 };
    await read(cut(text, 3), position);
    expect(position.bytes).toBe(Buffer.byteLength(text));
  });

  it("an empty or blank input has no records", async () => {
    expect(await read([])).toEqual([]);
    expect(await read(["\n \r\n\t\n"])).toEqual([]);
  });

  it("stopping early closes the input", async () => {
    const input = Readable.from([Buffer.from('{"a":1}\n{"a":2}\n'), Buffer.from('{"a":3}\n')]);
    for await (const record of readRecords(input)) {
      expect(record.line).toBe(1);
      break;
    }
    expect(input.destroyed).toBe(true);
  });
});

describe("a JSON array", () => {
  it("is read whole, after a BOM and blanks even in chunks of their own, each item numbered by its position", async () => {
    for (const chunks of [["\uFEFF \n\t[", '{"a":1}, 2, "three"]'], ["  ", "\n", '[{"a":1},2,"three"]']]) {
      expect(await read(chunks)).toEqual([
        { line: 1, raw: '{"a":1}', value: { a: 1 } },
        { line: 2, raw: "2", value: 2 },
        { line: 3, raw: '"three"', value: "three" },
      ]);
    }
    expect(await read(["[]"])).toEqual([]);
  });

  it("that is not valid JSON, or not UTF-8, is one error on line 1", async () => {
    const [broken] = await read(['[{"a":1}, {"a":']);
    expect(broken).toMatchObject({ line: 1, raw: '[{"a":1}, {"a":', error: expect.stringMatching(/^not a valid JSON array \(.+\)$/) });
    const long = `[${'{"a":1},'.repeat(40)}`;
    expect((await read([long]))[0]!.raw).toBe(long.slice(0, 200));
    expect(await read([Buffer.concat([Buffer.from('["'), Buffer.from([0xc3, 0x28]), Buffer.from('"]')])])).toEqual([
      { line: 1, raw: "", error: "the JSON array is not valid UTF-8 (convert the file to UTF-8)" },
    ]);
  });

  it("refuses records nested deeper than a line may be, and takes those exactly as deep", async () => {
    const ok = await read([`[${nested(MAX_JSON_DEPTH)}]`]);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.error).toBeUndefined();
    expect(await read([`[${nested(MAX_JSON_DEPTH + 1)}]`])).toEqual([
      { line: 1, raw: `[${nested(MAX_JSON_DEPTH + 1)}]`.slice(0, 200), error: `not a valid JSON array (its records nest deeper than ${MAX_JSON_DEPTH} levels)` },
    ]);
  });
});

describe("nesting", () => {
  it("a line as deep as the limit is read; one level more is refused by name", async () => {
    const records = await read([`{"a":${nested(MAX_JSON_DEPTH - 1)}}\n{"a":${nested(MAX_JSON_DEPTH)}}\n`]);
    expect(records[0]!.error).toBeUndefined();
    expect(records[1]).toMatchObject({ line: 2, error: `nested deeper than ${MAX_JSON_DEPTH} levels` });
  });

  it("counts only brackets that nest: not those in text, escaped quotes included, nor lists side by side", async () => {
    expect(jsonDepth(`{"a": "${"[".repeat(100)}", "b": "\\"${"{".repeat(100)}\\\\", "c": [1]}`)).toBe(2);
    expect(jsonDepth(`[${Array.from({ length: 100 }, () => "[{}]").join(",")}]`)).toBe(3);
    // The deepest list first, a shallower one last: the depth is the deepest, not the last.
    expect(jsonDepth("[[[]],[]]")).toBe(3);
    const [record] = await read([`{"text": "a quote \\" then ${"[".repeat(200)}", "lists": [${"[],".repeat(200)}[]]}\n`]);
    expect(record!.error).toBeUndefined();
  });

  it("stops counting once past the limit it is given", () => {
    expect(jsonDepth(nested(500), 10)).toBe(11);
    expect(jsonDepth(nested(500))).toBe(500);
  });
});
