/**
 * A real `lexi serve` on an ephemeral port, and a client that sends what the original's clients
 * sent: JSON bodies, and query strings encoded as Python's `requests` encodes them (booleans as
 * `True`/`False`).
 */
import { startServer, type RunningServer } from "../../src/http/serve.js";
import type { Store } from "../../src/store/store.js";

export interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

/** `requests.get(url, params=…)`: Python's str() of each value, lists as repeated keys. */
export function requestsParams(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, typeof item === "boolean" ? (item ? "True" : "False") : String(item));
    }
  }
  return search.toString();
}

export interface TestServer {
  url: string;
  get(path: string, params?: Record<string, unknown>): Promise<Answer>;
  send(method: "POST" | "PUT", path: string, options?: { json?: unknown; params?: Record<string, unknown> }): Promise<Answer>;
  close(): Promise<void>;
}

/** Serves `store` on 127.0.0.1:0 without keys (loopback only) until `close`, which closes the store too. */
export async function serveForTest(store: Store): Promise<TestServer> {
  const server: RunningServer = await startServer(store, { host: "127.0.0.1", port: 0, logger: false, rateLimit: 1_000_000 });
  const answer = async (response: Response): Promise<Answer> => {
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  const withQuery = (path: string, params?: Record<string, unknown>) => (params ? `${server.url}${path}?${requestsParams(params)}` : `${server.url}${path}`);
  return {
    url: server.url,
    get: async (path, params) => answer(await fetch(withQuery(path, params))),
    send: async (method, path, options = {}) =>
      answer(
        await fetch(withQuery(path, options.params), {
          method,
          ...(options.json === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(options.json) }),
        }),
      ),
    close: () => server.close(),
  };
}
