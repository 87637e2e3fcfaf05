/**
 * `lexi serve`: the HTTP API until SIGINT/SIGTERM, then a graceful stop.
 */
import { startServer } from "../../http/serve.js";
import { SERVE_DEFAULTS, ServeSettings } from "../../schema/serve.js";
import { defineCommand } from "../spec.js";

/** The flags given, over the defaults; startServer checks them. */
const settingsOf = (input: ServeSettings) => ({ ...SERVE_DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) });

export const serve = defineCommand({
  input: ServeSettings,
  flags: [
    { flags: "--host <host>", description: "address to listen on (without API keys only loopback is allowed)", field: "host" },
    { flags: "--port <port>", description: "port", field: "port" },
    { flags: "--body-limit <bytes>", description: "largest request body", field: "body_limit" },
    { flags: "--rate-limit <n>", description: "requests per minute per API key", field: "rate_limit" },
    { flags: "--query-timeout <ms>", description: "MongoDB: longest a request's query may run before a 503", field: "query_timeout_ms" },
  ],
  openOptions: ({ input }) => ({ queryTimeoutMs: settingsOf(input).query_timeout_ms }),
  // The server owns the store until it stops, then closes it; the command's own close is then a no-op.
  run: async ({ store, input }) => {
    const settings = settingsOf(input);
    const server = await startServer(store, { host: settings.host, port: settings.port, bodyLimit: settings.body_limit, rateLimit: settings.rate_limit, apiKeys: process.env.LEXI_API_KEYS });
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await server.close();
    return { stopped: server.url };
  },
  render: (result) => `Stopped serving ${result.stopped}`,
});
