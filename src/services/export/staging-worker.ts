/**
 * Worker thread of an export's staging: receives batches of rows and acknowledges each once
 * stored, so the exporting thread can keep at most a few batches in flight.
 */
import { parentPort, workerData } from "node:worker_threads";
import { StagingTable, type MemberRow, type StagedRow } from "./staging-table.js";

type Message = { type: "rows"; rows: StagedRow[]; members: MemberRow[] } | { type: "finish" };

const table = new StagingTable((workerData as { path: string }).path);
parentPort!.on("message", (message: Message) => {
  if (message.type === "rows") {
    table.insert(message.rows, message.members);
    parentPort!.postMessage({ type: "ack" });
  } else {
    table.close();
    parentPort!.postMessage({ type: "done" });
  }
});
