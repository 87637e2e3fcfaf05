/**
 * The engines every conformance test runs on: the embedded one always, MongoDB when
 * `MONGODB_URI` names a server. Each store gets its own database (MongoDB) or file (embedded);
 * `dropAll` removes every one a test file created, and runs by itself once the file's tests are
 * done, so no test file leaves a database behind on the server.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openStore, type OpenStoreOptions } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

export interface EngineCase {
  name: "embedded" | "mongodb";
  /** A fresh store of its own. */
  open(options?: OpenStoreOptions): Promise<Store>;
  /** A fresh location, for tests that open the same store more than once. */
  newLocation(): string;
  /** Removes every database or file this engine case created. */
  dropAll(): Promise<void>;
}

export const mongoUri = process.env.MONGODB_URI;

export function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/i.exec(uri);
  if (!match) throw new Error("MONGODB_URI is not a mongodb:// URI");
  return `${match[1]}/${database}${match[3] ?? ""}`;
}

function embeddedCase(): EngineCase {
  let folder: string | undefined;
  const newLocation = () => {
    folder ??= mkdtempSync(join(tmpdir(), "lexi-conformance-"));
    return join(folder, `${randomBytes(4).toString("hex")}.db`);
  };
  return {
    name: "embedded",
    open: (options) => openStore(":memory:", options),
    newLocation,
    async dropAll() {
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = undefined;
    },
  };
}

function mongoCase(uri: string): EngineCase {
  const databases = new Set<string>();
  const newLocation = () => {
    const name = `lexi_test_${randomBytes(4).toString("hex")}`;
    databases.add(name);
    return withDatabase(uri, name);
  };
  return {
    name: "mongodb",
    open: (options) => openStore(newLocation(), options),
    newLocation,
    async dropAll() {
      const { MongoClient } = await import("mongodb");
      const client = new MongoClient(uri);
      try {
        for (const name of databases) await client.db(name).dropDatabase();
        databases.clear();
      } finally {
        await client.close();
      }
    },
  };
}

export const engines: EngineCase[] = [embeddedCase(), ...(mongoUri ? [mongoCase(mongoUri)] : [])];

// Registered while the importing test file is collected: it runs after that file's own hooks.
afterAll(async () => {
  for (const engine of engines) await engine.dropAll();
});

if (!mongoUri) {
  console.log("[lexi tests] MongoDB engine skipped: set MONGODB_URI to a server (mongodb://…) to run the conformance suite on it too.");
}
