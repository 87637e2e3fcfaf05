/**
 * Worker thread of an export's staging: receives batches of rows and acknowledges each once
 * stored, so the exporting thread can keep at most a few batches in flight; once the rows are
 * all stored, answers read queries on the file.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { StagingTable, type StagedRow } from "./staging-table.js";

type Message = { type: "rows"; rows: StagedRow[] } | { type: "finish" } | { type: "read"; sql: string };

const { path } = workerData as { path: string };
const table = new StagingTable(path);
let reader: Database.Database | undefined;
function answer(message: Message): unknown {
  if (message.type === "rows") {
    table.insert(message.rows);
    return { type: "ack" };
  }
  if (message.type === "finish") {
    table.finish();
    return { type: "done" };
  }
  reader ??= new Database(path, { readonly: true });
  return { type: "result", rows: reader.prepare(message.sql).all() };
}

// A failure goes back as its message: an error thrown here reaches the other thread without it.
parentPort!.on("message", (message: Message) => {
  let reply: unknown;
  try {
    reply = answer(message);
  } catch (error) {
    reply = { type: "failed", message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
