/**
 * The settings of `lexi serve`, with their defaults. `startServer` checks the values (naming the
 * flags in its messages); the HTTP app falls back on the same defaults for library callers.
 */
import * as z from "zod";

export const ServeSettings = z.object({
  /** Without API keys only loopback addresses are allowed. */
  host: z.string().default("127.0.0.1"),
  port: z.number().default(8000),
  /** Largest accepted request body, in bytes. */
  body_limit: z.number().default(1_048_576),
  /** Requests per minute per API key (or per address without keys). */
  rate_limit: z.number().default(1200),
  /** MongoDB: longest a request's query may run before a 503, in ms. */
  query_timeout_ms: z.number().default(30_000),
});
export type ServeSettings = z.input<typeof ServeSettings>;

export const SERVE_DEFAULTS = ServeSettings.parse({});
