/**
 * Runs `lexi serve`: refuses to expose an unauthenticated server, sweeps expired data while it
 * runs, and shuts down gracefully (in-flight requests finish, then the store closes).
 */
import { InvalidInputError } from "../errors.js";
import { fromSystemError } from "../services/files/system-errors.js";
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

function wholeNumber(flag: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${flag} must be a whole number from ${min} to ${max}; got ${value}`);
  }
}

/** Refuses settings that would silently mean something else (a negative limit switching the limit off). */
export function checkServeOptions(options: Pick<ServeOptions, "port" | "bodyLimit" | "rateLimit" | "requestTimeout">): void {
  wholeNumber("--port", options.port, 0, 65_535);
  wholeNumber("--body-limit", options.bodyLimit, 1, 1024 ** 3);
  wholeNumber("--rate-limit", options.rateLimit, 1, 1_000_000_000);
  wholeNumber("requestTimeout", options.requestTimeout, 1, 3_600_000);
}

export async function startServer(store: Store, options: ServeOptions): Promise<RunningServer> {
  checkServeOptions(options);
  const keys = parseApiKeys(options.apiKeys);
  if (keys.length === 0 && !isLoopback(options.host)) {
    throw new InvalidInputError(
      `refusing to listen on ${options.host} without API keys: set LEXI_API_KEYS="admin:<key>,app:<key>" or use --host 127.0.0.1 (only literal loopback addresses count: 127.x.x.x or ::1)`,
    );
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
  let url: string;
  try {
    url = await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    clearInterval(sweep);
    await app.close();
    throw fromSystemError(error) ?? error;
  }
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
