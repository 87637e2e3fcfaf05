/**
 * The MongoDB engine's own decisions, checked without a server: how driver errors map, what the
 * index reconciliation sends, that errors inside a transaction reach the driver unchanged, and
 * which deployments are refused. The conformance suite checks the same against a real server.
 */
import { MongoBulkWriteError, MongoNetworkError, MongoOperationTimeoutError, MongoServerError, MongoServerSelectionError, MongoWriteConcernError } from "mongodb";
import type { ClientSession, Collection as DriverCollection, Document } from "mongodb";
import { describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError, StoreUnavailableError } from "../../src/errors.js";
import { indexesFor, RETENTION_INDEX } from "../../src/store/collections.js";
import { deploymentOf, standaloneAllowedByEnv, standaloneRefusal } from "../../src/store/mongo/deployment.js";
import { MongoCollection } from "../../src/store/mongo/mongo-collection.js";
import { wrapMongoError } from "../../src/store/mongo/mongo-errors.js";
import { ensureIndexes } from "../../src/store/mongo/mongo-indexes.js";
import { openStore } from "../../src/store/open-store.js";

const serverError = (code: number, message = "server says no") => new MongoServerError({ message, code, ok: 0 });

function bulkWrapping(error: Error, writeConcernError?: unknown): MongoBulkWriteError {
  const result = { getWriteConcernError: () => writeConcernError } as never;
  return new MongoBulkWriteError(error as never, result);
}

describe("driver errors become lexi errors", () => {
  it("maps duplicates, unknown zones and oversized documents to conflict and invalid input", () => {
    expect(wrapMongoError(serverError(11000), "insertOne")).toBeInstanceOf(ConflictError);
    expect(wrapMongoError(serverError(40485, "unrecognized time zone identifier: \"asia/ho_chi_minh\""), "aggregate")).toBeInstanceOf(InvalidInputError);
    expect(wrapMongoError(serverError(10334), "insertOne")).toBeInstanceOf(InvalidInputError);
  });

  it("maps unreachable servers, elections, timeouts and write-concern failures to store unavailable", () => {
    const retryable = new MongoNetworkError("connection reset");
    retryable.addErrorLabel("RetryableWriteError");
    const unavailable = [
      new MongoNetworkError("connection reset"),
      new MongoServerSelectionError("no primary", { error: undefined } as never),
      serverError(10107, "not primary"),
      serverError(50, "operation exceeded time limit"),
      serverError(13, "not authorized on lexi to execute command { collMod: \"ai_interactions\" }"),
      serverError(18, "Authentication failed."),
      new MongoOperationTimeoutError("Timed out"),
      new MongoWriteConcernError({ writeConcernError: { code: 64, errmsg: "waiting for replication timed out" }, ok: 1 } as never),
      bulkWrapping(retryable),
      bulkWrapping(serverError(64), { code: 64, errmsg: "waiting for replication timed out" }),
    ];
    for (const error of unavailable) expect(wrapMongoError(error, "insertMany"), error.message).toBeInstanceOf(StoreUnavailableError);
  });

  it("masks a password in the message and leaves other errors alone", () => {
    const mapped = wrapMongoError(new MongoNetworkError("failed to connect to mongodb://ana:hunter2@db:27017"), "connecting");
    expect(mapped.message).not.toContain("hunter2");
    const other = serverError(2, "bad value");
    expect(wrapMongoError(other, "find")).toBe(other);
  });
});

describe("errors inside a transaction", () => {
  const failing = (error: Error) => ({ collectionName: "things", insertOne: async () => Promise.reject(error) }) as unknown as DriverCollection<Document>;

  it("reach withTransaction unchanged, so it can retry on TransientTransactionError", async () => {
    // An election drops the connection: the driver labels the network error as transient.
    const transient = new MongoNetworkError("connection closed during election");
    transient.addErrorLabel("TransientTransactionError");
    const inSession = new MongoCollection(failing(transient), { session: {} as ClientSession });
    await expect(inSession.insertOne({ _id: 1 })).rejects.toBe(transient);
  });

  it("are mapped outside a transaction", async () => {
    const outside = new MongoCollection(failing(serverError(11000)));
    await expect(outside.insertOne({ _id: 1 })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe("index reconciliation", () => {
  function fakeCollection(existing: Document[]) {
    const calls: Array<[string, unknown]> = [];
    const collection = {
      collectionName: "ai_interactions",
      listIndexes: () => ({ toArray: async () => existing }),
      createIndexes: async (specs: unknown) => void calls.push(["createIndexes", specs]),
      dropIndex: async (name: string) => void calls.push(["dropIndex", name]),
      db: { command: async (command: unknown) => void calls.push(["command", command]) },
    } as unknown as DriverCollection<Document>;
    return { collection, calls };
  }
  const asListed = (retentionDays: number) =>
    [{ name: "_id_", key: { _id: 1 } }, ...indexesFor("ai_interactions", retentionDays).map(({ keys, ...rest }) => ({ key: keys, ...rest }))];

  it("sends nothing when every index exists", async () => {
    const { collection, calls } = fakeCollection(asListed(90));
    await ensureIndexes(collection, indexesFor("ai_interactions", 90));
    expect(calls).toEqual([]);
  });

  it("creates what is missing in one createIndexes", async () => {
    const { collection, calls } = fakeCollection([{ name: "_id_", key: { _id: 1 } }]);
    await ensureIndexes(collection, indexesFor("ai_interactions", 90));
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe("createIndexes");
    expect((calls[0]![1] as unknown[]).length).toBe(indexesFor("ai_interactions", 90).length);
  });

  it("changes the retention period with collMod, without dropping the index", async () => {
    const { collection, calls } = fakeCollection(asListed(90));
    await ensureIndexes(collection, indexesFor("ai_interactions", 30));
    expect(calls).toEqual([["command", { collMod: "ai_interactions", index: { name: RETENTION_INDEX, expireAfterSeconds: 30 * 86_400 } }]]);
  });

  it("replaces an index whose keys changed", async () => {
    const listed = asListed(90).map((index) => (index.name === "session_id_1" ? { ...index, key: { session_id: -1 } } : index));
    const { collection, calls } = fakeCollection(listed);
    await ensureIndexes(collection, indexesFor("ai_interactions", 90));
    expect(calls.map(([name]) => name)).toEqual(["dropIndex", "createIndexes"]);
  });
});

describe("deployments", () => {
  it("tells replica sets, sharded clusters and standalone servers apart", () => {
    expect(deploymentOf({ setName: "rs0", isWritablePrimary: true })).toBe("replica_set");
    expect(deploymentOf({ msg: "isdbgrid" })).toBe("sharded");
    expect(deploymentOf({ isWritablePrimary: true })).toBe("standalone");
  });

  it("refuses a standalone server with the way to start a single-node replica set", () => {
    const refusal = standaloneRefusal("mongodb://db:27017/lexi");
    expect(refusal).toBeInstanceOf(InvalidInputError);
    expect(refusal.message).toMatch(/--replSet rs0/);
    expect(refusal.message).toMatch(/rs\.initiate\(\)/);
    expect(refusal.message).toMatch(/LEXI_MONGO_ALLOW_STANDALONE=1/);
    expect(standaloneAllowedByEnv({ LEXI_MONGO_ALLOW_STANDALONE: "1" })).toBe(true);
    expect(standaloneAllowedByEnv({})).toBe(false);
  });
});

describe("retention range", () => {
  it("refuses LEXI_RETENTION_DAYS past what a TTL index holds", async () => {
    const saved = process.env.LEXI_RETENTION_DAYS;
    process.env.LEXI_RETENTION_DAYS = "30000";
    try {
      await expect(openStore(":memory:")).rejects.toThrow(/LEXI_RETENTION_DAYS must be a number of days from 0 \(keep forever\) to 24855; got "30000"/);
    } finally {
      if (saved === undefined) delete process.env.LEXI_RETENTION_DAYS;
      else process.env.LEXI_RETENTION_DAYS = saved;
    }
    const longest = await openStore(":memory:", { retentionDays: 24_855 });
    await longest.close();
  });
});
