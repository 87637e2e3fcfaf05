/**
 * The engines every conformance test runs on: the embedded one always, MongoDB when
 * `MONGODB_URI` names a server (each run gets its own database, dropped afterwards).
 */
import { randomBytes } from "node:crypto";
import { openStore, type OpenStoreOptions } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

export interface EngineCase {
  name: "embedded" | "mongodb";
  open(options?: OpenStoreOptions): Promise<Store>;
}

const mongoUri = process.env.MONGODB_URI;

function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/i.exec(uri);
  if (!match) throw new Error("MONGODB_URI is not a mongodb:// URI");
  return `${match[1]}/${database}${match[3] ?? ""}`;
}

export const engines: EngineCase[] = [
  { name: "embedded", open: (options) => openStore(":memory:", options) },
  ...(mongoUri
    ? [{ name: "mongodb" as const, open: (options?: OpenStoreOptions) => openStore(withDatabase(mongoUri, `lexi_test_${randomBytes(4).toString("hex")}`), options) }]
    : []),
];

if (!mongoUri) {
  console.log("[lexi tests] MongoDB engine skipped: set MONGODB_URI to a server (mongodb://…) to run the conformance suite on it too.");
}
