/**
 * Worker thread of a large import: receives the input's bytes in chunks, splits and parses its
 * records and checks each one (see checkers.ts), so the importing thread only writes. Each time
 * it has used up a chunk it sends the records checked so far, and how many bytes it has taken.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CHECKERS, type CheckerName } from "./checkers.js";
import type { CheckedLine, ToChecker } from "./checked-records.js";
import { toPortable } from "./portable-values.js";
import { readRecords, refusesRecord, type RawRecord } from "./read-records.js";

const port = parentPort!;
const { checker, strict } = workerData as { checker: CheckerName; strict: boolean };
const check = CHECKERS[checker](strict);

const arrived: Array<Buffer | null> = [];
let wake: (() => void) | undefined;
port.on("message", (message: ToChecker) => {
  arrived.push(message.type === "chunk" ? Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength) : null);
  wake?.();
});

let taken = 0;
let reported = 0;
let checked: CheckedLine[] = [];

/** The chunks as they arrive; before taking the next one, the records of those taken go out. */
async function* chunks(): AsyncGenerator<Buffer> {
  for (;;) {
    if (checked.length > 0 || taken > reported) {
      port.postMessage({ type: "records", taken, records: checked });
      checked = [];
      reported = taken;
    }
    while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const chunk = arrived.shift()!;
    if (chunk === null) return;
    taken += chunk.length;
    yield chunk;
  }
}

function checkLine(record: RawRecord): CheckedLine {
  if (record.error !== undefined) return { line: record.line, raw: record.raw, error: record.error };
  try {
    return { line: record.line, checked: toPortable(check(record.value)) as CheckedLine["checked"] };
  } catch (error) {
    if (!refusesRecord(error)) throw error;
    return { line: record.line, raw: record.raw, value: record.value, error: error.message };
  }
}

for await (const record of readRecords(chunks())) checked.push(checkLine(record));
port.postMessage({ type: "end", records: checked });
port.close();
