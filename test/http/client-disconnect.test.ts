/**
 * A client that goes away stops the long queries its request started: over real HTTP on the
 * embedded engine, pattern detection whose client disconnects while its results are read stops
 * reading at the next batch and stores nothing. A spy around the store sees every read and how
 * it ended.
 */
import { once } from "node:events";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InterruptedError } from "../../src/errors.js";
import { startServer, type RunningServer } from "../../src/http/serve.js";
import { logInteraction } from "../../src/services/interactions.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { docStream } from "../../src/store/doc-stream.js";
import { openStore } from "../../src/store/open-store.js";
import type { Collection, Doc, Pipeline, ReadOptions, Store } from "../../src/store/store.js";

interface Read {
  items: number;
  outcome: "open" | "done" | "failed";
  error?: unknown;
  signal?: AbortSignal;
}

/** The store, with every aggregation recorded; the first one pauses after its first result until `release`. */
function spyOn(store: Store) {
  const reads: Read[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let firstResult!: () => void;
  const firstResultSeen = new Promise<void>((resolve) => (firstResult = resolve));
  const wrap = (collection: Collection): Collection =>
    new Proxy(collection, {
      get(target, property) {
        if (property !== "aggregate") return Reflect.get(target, property);
        return (pipeline: Pipeline, options?: ReadOptions) => {
          const read: Read = { items: 0, outcome: "open", signal: options?.signal };
          reads.push(read);
          const inner = target.aggregate(pipeline, options);
          return docStream(async function* () {
            try {
              for await (const doc of inner) {
                read.items++;
                if (read === reads[0] && read.items === 1) {
                  firstResult();
                  await released;
                }
                yield doc;
              }
              read.outcome = "done";
            } catch (error) {
              read.outcome = "failed";
              read.error = error;
              throw error;
            }
          });
        };
      },
    });
  const spied = new Proxy(store, {
    get(target, property) {
      if (property === "collection") return (name: string) => wrap(target.collection(name));
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: spied, reads, release, firstResultSeen };
}

const LEARNERS = 300;

describe("GET /error-patterns when the client goes away", () => {
  let store: Store;
  let server: RunningServer;
  let spy: ReturnType<typeof spyOn>;

  beforeAll(async () => {
    store = await openStore(":memory:");
    // One result per learner: more than one batch of the store's stream (256 results).
    for (let i = 0; i < LEARNERS; i++) {
      await logInteraction(store, {
        session_id: `s${i}`,
        user_id: `learner-${i}`,
        user_input: { text: "She go to school yesterday" },
        analysis: { fluency_score: 0.6, vocabulary_level: "A2", grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], tutor_response: "She went to school yesterday." },
      });
    }
    spy = spyOn(store);
    server = await startServer(spy.store, { host: "127.0.0.1", port: 0, logger: false, rateLimit: 100_000 });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it("runs no query after the disconnect and stores no pattern", async () => {
    const url = new URL(`${server.url}/api/v1/training/error-patterns?min_frequency=1&days=7`);
    const client = request(url);
    client.on("error", () => undefined);
    client.end();
    await spy.firstResultSeen;
    client.destroy();
    const signal = spy.reads[0]!.signal!;
    expect(signal).toBeDefined();
    if (!signal.aborted) await once(signal, "abort");
    spy.release();

    // The query stops at the end of the batch it was reading, before the last results.
    await vi.waitFor(() => expect(spy.reads.map((read) => read.outcome)).toEqual(["failed"]));
    expect(spy.reads[0]!.items).toBeLessThan(LEARNERS);
    expect(spy.reads[0]!.error).toBeInstanceOf(InterruptedError);
    expect(await store.collection(COLLECTIONS.errorPatterns).countDocuments()).toBe(0);

    // The same request with a client that stays gets its patterns, and they are stored.
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual([expect.objectContaining({ _id: { type: "verb_tense", level: "A2" }, count: LEARNERS })]);
    expect(await store.collection(COLLECTIONS.errorPatterns).countDocuments()).toBe(1);
  });
});
