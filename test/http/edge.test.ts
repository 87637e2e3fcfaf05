/**
 * The HTTP edge under attack (issue 17, items 4–7 and 10), over real HTTP.
 */
import { connect } from "node:net";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopback, parseApiKeys } from "../../src/http/auth.js";
import { startServer, type RunningServer } from "../../src/http/serve.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

const ADMIN = "5d41402abc4b2a76b9719d911017c592aa";
const APP = "7d793037a0760186574b0282f2f435e7bb";
const T = "/api/v1/training";

async function rawRequest(url: string, text: string, waitMs: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.write(text);
    setTimeout(() => socket.destroy(), waitMs);
  });
}

describe("the HTTP edge", () => {
  let store: Store;
  let server: RunningServer;
  let logs = "";

  beforeAll(async () => {
    store = await openStore(":memory:");
    const logStream = new PassThrough();
    logStream.on("data", (chunk) => (logs += chunk));
    server = await startServer(store, { host: "127.0.0.1", port: 0, apiKeys: `admin:${ADMIN},app:${APP}`, logStream, requestTimeout: 1500 });
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (path: string, key?: string) => fetch(`${server.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  it("refuses keys in the query string with a clear 401 and never logs them", async () => {
    const secret = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7";
    const response = await get(`${T}/feedback/stats?api_key=${secret}&days=3`);
    expect(response.status).toBe(401);
    expect((await response.json()).message).toContain("not accepted in the URL");
    const withToken = await get(`/health?token=${secret}`);
    expect(withToken.status).toBe(401);
    for (let waited = 0; !logs.includes("api_key=****") && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logs).toContain("api_key=****");
    expect(logs).not.toContain(secret);
  });

  it("answers a deeply nested body with 400, not 500", async () => {
    const body = `{"a":${"[".repeat(6000)}${"]".repeat(6000)}}`;
    expect(body.length).toBeGreaterThan(12_000);
    const response = await fetch(`${server.url}/api/v1/ai/interactions`, { method: "POST", headers: { authorization: `Bearer ${APP}`, "content-type": "application/json" }, body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_input", message: expect.stringContaining("nested deeper than 64") });
  });

  it("answers a request whose headers never finish arriving with a 408 in lexi's error shape", async () => {
    const answer = await rawRequest(server.url, `POST /api/v1/ai/interactions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${APP}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n`, 4000);
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: "request_timeout", message: expect.any(String), detail: expect.any(String) });
  });

  // Last: it blocks this address.
  it("throttles failed authentication per address: 10 a minute, then 429 whatever the key", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await get(`${T}/feedback/stats`, `guess-${i}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const blocked = await get(`${T}/feedback/stats`, ADMIN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await get("/health")).status).toBe(200);
  });
});

describe("API keys and addresses", () => {
  it("requires keys of at least 32 random characters and says how to make one", () => {
    expect(() => parseApiKeys("admin:s3cret-pw")).toThrow(/at least 32 random characters; make one with `openssl rand -hex 32`/);
    expect(() => parseApiKeys(`admin:${"a".repeat(40)}`)).toThrow(/32 random characters/);
    expect(parseApiKeys(`admin:${ADMIN}`)).toHaveLength(1);
  });

  it("accepts only literal loopback addresses without keys", async () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["127.0.0.1.nip.io", "localhost", "0.0.0.0", "::", "10.0.0.1", "1270.0.0.1"].some(isLoopback)).toBe(false);
    const store = await openStore(":memory:");
    try {
      await expect(startServer(store, { host: "127.0.0.1.nip.io", port: 0 })).rejects.toThrow(/refusing to listen on 127.0.0.1.nip.io without API keys/);
    } finally {
      await store.close();
    }
  });

  it("refuses a port, body limit or rate limit out of range instead of switching a limit off", async () => {
    const store = await openStore(":memory:");
    try {
      for (const bad of [{ port: 99_999 }, { port: 8000, bodyLimit: -1 }, { port: 8000, rateLimit: -5 }, { port: 8000, rateLimit: 0.5 }]) {
        await expect(startServer(store, { host: "127.0.0.1", ...bad })).rejects.toMatchObject({ code: "invalid_input" });
      }
      expect(await store.collection(COLLECTIONS.interactions).countDocuments()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
