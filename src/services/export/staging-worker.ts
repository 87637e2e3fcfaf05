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
parentPort!.on("message", (message: Message) => {
  if (message.type === "rows") {
    table.insert(message.rows);
    parentPort!.postMessage({ type: "ack" });
  } else if (message.type === "finish") {
    table.close();
    parentPort!.postMessage({ type: "done" });
  } else {
    reader ??= new Database(path, { readonly: true });
    parentPort!.postMessage({ type: "result", rows: reader.prepare(message.sql).all() });
  }
});
