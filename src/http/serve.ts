/**
 * Runs `lexi serve`: refuses to expose an unauthenticated server, sweeps expired data while it
 * runs, and shuts down gracefully (in-flight requests finish, then the store closes).
 */
import { InvalidInputError } from "../errors.js";
import type { Store } from "../store/store.js";
import { buildApp, type AppOptions } from "./app.js";
import { isLoopback, parseApiKeys } from "./auth.js";

export interface ServeOptions extends Omit<AppOptions, "keys"> {
  host: string;
  port: number;
  /** `LEXI_API_KEYS` text; read from the environment by the CLI. */
  apiKeys?: string;
  sweepEveryMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(store: Store, options: ServeOptions): Promise<RunningServer> {
  const keys = parseApiKeys(options.apiKeys);
  if (keys.length === 0 && !isLoopback(options.host)) {
    throw new InvalidInputError(`refusing to listen on ${options.host} without API keys: set LEXI_API_KEYS="admin:<key>,app:<key>" or use --host 127.0.0.1`);
  }
  const app = await buildApp(store, { ...options, keys });
  if (keys.length === 0) app.log.warn("no API keys configured (LEXI_API_KEYS): listening on loopback only, every route is open to local callers");
  const sweep = setInterval(() => {
    store.sweepExpired().then(
      (deleted) => deleted && app.log.info({ deleted }, "retention sweep"),
      (error: unknown) => app.log.error({ err: error }, "retention sweep failed"),
    );
  }, options.sweepEveryMs ?? 3_600_000);
  sweep.unref();
  const url = await app.listen({ host: options.host, port: options.port });
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweep);
        await app.close();
        await store.close();
      })()),
  };
}
