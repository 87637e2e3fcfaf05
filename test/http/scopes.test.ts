import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { parseApiKeys } from "../../src/http/auth.js";
import { logInteraction } from "../../src/services/interactions.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { interactionWith } from "../helpers/fixtures.js";

const ADMIN = "admin-key-0123456789-abcdefghijklmnop";
const APP = "app-key-0123456789-qrstuvwxyzABCDEF";
const T = "/api/v1/training";

interface Call {
  method: "GET" | "POST" | "PUT";
  /** The route as declared, `:param` style. */
  route: string;
  url: string;
  body?: unknown;
}

let interactionId = "";
const example = "0123456789abcdef01234567";

/** What the mobile app may call with its key. */
const appRoutes = (): Call[] => [
  { method: "POST", route: "/api/v1/ai/interactions", url: "/api/v1/ai/interactions", body: interactionWith({ fluency_score: 0.5 }, 31) },
  { method: "POST", route: `${T}/feedback`, url: `${T}/feedback`, body: { interaction_id: interactionId, user_id: "u1", rating: 4 } },
  { method: "POST", route: `${T}/progress/snapshot`, url: `${T}/progress/snapshot`, body: { user_id: "u1", snapshot_date: "2026-01-01", level: "A2", fluency_score_avg: 0.5, grammar_accuracy: 0.6, vocabulary_count: 400 } },
  { method: "GET", route: "/api/v1/ai/interactions/user/:user_id", url: "/api/v1/ai/interactions/user/u1" },
  { method: "GET", route: "/api/v1/ai/interactions/session/:session_id", url: "/api/v1/ai/interactions/session/s1" },
  { method: "GET", route: `${T}/progress/history/:user_id`, url: `${T}/progress/history/u1` },
  { method: "GET", route: `${T}/error-patterns/user/:user_id`, url: `${T}/error-patterns/user/u1` },
];

/** What only an admin key may call: reading across learners, reviewing, exporting, model metrics. */
const adminRoutes = (): Call[] => [
  { method: "GET", route: `${T}/feedback/stats`, url: `${T}/feedback/stats` },
  { method: "POST", route: `${T}/training-queue`, url: `${T}/training-queue`, body: { interaction_id: interactionId, task_types: ["grammar"] } },
  { method: "GET", route: `${T}/training-queue`, url: `${T}/training-queue` },
  { method: "PUT", route: `${T}/training-queue/:example_id/validate`, url: `${T}/training-queue/${example}/validate`, body: { approved: true, validated_by: "ana" } },
  { method: "POST", route: `${T}/export/training-data`, url: `${T}/export/training-data`, body: { min_quality_score: 0 } },
  { method: "GET", route: `${T}/export/training-data.jsonl`, url: `${T}/export/training-data.jsonl?min_quality_score=0` },
  { method: "GET", route: `${T}/error-patterns`, url: `${T}/error-patterns` },
  { method: "POST", route: `${T}/analytics`, url: `${T}/analytics`, body: { metric: "fluency" } },
  { method: "POST", route: `${T}/metrics/model-performance`, url: `${T}/metrics/model-performance`, body: { model_name: "m", version: "v1", metrics: { bleu: 0.4 } } },
  { method: "GET", route: `${T}/metrics/model-performance/:model_name`, url: `${T}/metrics/model-performance/m` },
];

const publicRoutes = ["/health", "/ping"];

describe("API key scopes, route by route", () => {
  let store: Store;
  let app: FastifyInstance;

  const call = async (route: Call, key: string | null) => {
    const response = await app.inject({
      method: route.method,
      url: route.url,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(route.body === undefined ? {} : { payload: route.body as object }),
    });
    return { status: response.statusCode, error: String(response.headers["content-type"]).includes("json") ? response.json().error : undefined };
  };
  const label = (route: Call) => `${route.method} ${route.route}`;

  beforeAll(async () => {
    store = await openStore(":memory:");
    interactionId = (await logInteraction(store, interactionWith({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }], fluency_score: 0.9 }, 30))).interaction_id;
    // This test sends many refused keys on purpose: the failed-authentication throttle is tested on its own.
    app = await buildApp(store, { keys: parseApiKeys(`admin:${ADMIN},app:${APP}`), logger: false, rateLimit: 100_000, authThrottle: { maxFailures: 10_000, windowMs: 60_000 } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it("refuses the app key on every admin route with 403, and lets the admin key through", async () => {
    for (const route of adminRoutes()) {
      expect({ route: label(route), ...(await call(route, APP)) }).toEqual({ route: label(route), status: 403, error: "forbidden" });
      expect({ route: label(route), status: (await call(route, ADMIN)).status }).toEqual({ route: label(route), status: expect.not.toBeOneOf([401, 403]) });
    }
  });

  it("lets the app key through on every app route, and the admin key too", async () => {
    for (const route of appRoutes()) {
      expect({ route: label(route), status: (await call(route, APP)).status }).toEqual({ route: label(route), status: expect.not.toBeOneOf([401, 403]) });
      expect({ route: label(route), status: (await call(route, ADMIN)).status }).toEqual({ route: label(route), status: expect.not.toBeOneOf([401, 403]) });
    }
  });

  it("answers 401 without a key or with an unknown one on every non-public route", async () => {
    for (const route of [...appRoutes(), ...adminRoutes()]) {
      expect({ route: label(route), status: (await call(route, null)).status }).toEqual({ route: label(route), status: 401 });
      expect({ route: label(route), status: (await call(route, "unknown-key-0123456789")).status }).toEqual({ route: label(route), status: 401 });
    }
    for (const url of publicRoutes) expect((await app.inject({ method: "GET", url })).statusCode).toBe(200);
  });

  it("classifies every route the server declares, so a new route cannot slip in unscoped", async () => {
    const declared = Object.entries((await app.inject({ method: "GET", url: "/docs/json" })).json().paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const classified = [...appRoutes(), ...adminRoutes()].map(label).concat(publicRoutes.map((url) => `GET ${url}`));
    expect(declared.sort()).toEqual(classified.sort());
  });
});
