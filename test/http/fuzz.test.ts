/**
 * A fuzz pass over every route and every import (issue 17, "done when"): malformed, deep, huge,
 * wrong-typed and hostile input gets a 4xx or an invalid-input error, never a 5xx or a crash, and
 * the store is unchanged.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/http/serve.js";
import { importFeedback, importInteractions, importProgress } from "../../src/services/intake-import.js";
import { seedDemoData } from "../../src/services/seed.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/cli.js";

const ADMIN = "0f8fad5bd9cb469fa16570867728950e00";
const WATCHED = [COLLECTIONS.interactions, COLLECTIONS.feedback, COLLECTIONS.queue, COLLECTIONS.progress];

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("../../etc/passwd", "%00", "{\"$gt\":\"\"}", "'; DROP TABLE x; --", "\u0000", "x".repeat(5000), "5f0c1e2d3a4b5c6d7e8f9012", "-1", "1e309", "NaN"),
);
const deep = fc.integer({ min: 65, max: 3000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  deep,
  fc.string({ maxLength: 200 }),
  fc.record({ user_id: hostileText, session_id: fc.jsonValue({ maxDepth: 2 }), rating: fc.jsonValue({ maxDepth: 1 }), $where: fc.string() }).map((v) => JSON.stringify(v)),
);

describe("fuzzing", () => {
  const { dir, cleanup } = tempDir("lexi-fuzz-");
  let store: Store;
  let server: RunningServer;
  let counts: number[];
  const snapshot = () => Promise.all(WATCHED.map((name) => store.collection(name).countDocuments()));

  beforeAll(async () => {
    store = await openStore(":memory:");
    await seedDemoData(store, { users: 5, interactions: 80, seed: 3 });
    server = await startServer(store, { host: "127.0.0.1", port: 0, apiKeys: `admin:${ADMIN}`, logger: false, rateLimit: 1_000_000 });
    counts = await snapshot();
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it("every route answers hostile requests with a 4xx (or 2xx for reads), never a 5xx, and writes nothing", { timeout: 240_000 }, async () => {
    const spec = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })));
    expect(routes.length).toBeGreaterThan(10);
    const seen = new Set<number>();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(hostileText, hostileText, body, async (param, queryValue, payload) => {
          const path = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(param) || "x");
          const url = `${server.url}${path}?limit=${encodeURIComponent(queryValue)}&days=${encodeURIComponent(queryValue)}&user_id=${encodeURIComponent(queryValue)}`;
          const hasBody = route.method !== "GET";
          const response = await fetch(url, {
            method: route.method,
            headers: { authorization: `Bearer ${ADMIN}`, ...(hasBody ? { "content-type": "application/json" } : {}) },
            body: hasBody ? payload : undefined,
          });
          await response.arrayBuffer();
          seen.add(response.status);
          expect(response.status, `${route.method} ${url}`).toBeLessThan(500);
        }),
        { numRuns: 12, seed: 17 },
      );
    }
    expect([...seen].some((status) => status >= 400)).toBe(true);
    expect(await snapshot()).toEqual(counts);
  });

  it("every import refuses a file with hostile lines as invalid input, and writes nothing", { timeout: 120_000 }, async () => {
    const line = fc.oneof(body, hostileText.map((t) => JSON.stringify({ user_id: t, interaction_id: t, rating: t })));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom(importInteractions, importFeedback, importProgress), async (lines, run) => {
        const path = join(dir, `fuzz-${++n}.jsonl`);
        writeFileSync(path, `${lines.join("\n")}\n{"surely": "invalid"}\n`);
        const error = await run(store, { path }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toMatchObject({ code: "invalid_input" });
      }),
      { numRuns: 60, seed: 23 },
    );
    expect(await snapshot()).toEqual(counts);
  });
});
