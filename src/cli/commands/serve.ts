/**
 * `lexi serve`: the HTTP API until SIGINT/SIGTERM, then a graceful stop.
 */
import { startServer } from "../../http/serve.js";
import type { Store } from "../../store/store.js";

export interface ServeCommandOptions {
  host: string;
  port: number;
  bodyLimit?: number;
  rateLimit?: number;
}

export async function serveCommand(store: Store, options: ServeCommandOptions): Promise<{ stopped: string }> {
  const server = await startServer(store, { ...options, apiKeys: process.env.LEXI_API_KEYS });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  return { stopped: server.url };
}
