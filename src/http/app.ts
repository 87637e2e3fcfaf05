/**
 * The fastify app of `lexi serve`: a thin skin over the services. Each route calls the same
 * function as its CLI command; errors are mapped once; keys, limits and logs are set here.
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { InvalidInputError } from "../errors.js";
import { SERVE_DEFAULTS } from "../schema/serve.js";
import type { Store } from "../store/store.js";
import { MAX_JSON_DEPTH, jsonDepth } from "../services/import/bounded-json.js";
import { findKey, isKeyParameter, presentedKey, redactUrl, type ApiKey, type Scope } from "./auth.js";
import { AuthThrottle, DEFAULT_AUTH_THROTTLE, type AuthThrottleOptions } from "./auth-throttle.js";
import { errorBody, handleError } from "./errors.js";
import { openApiDocument } from "./openapi.js";
import { RouteRegistry } from "./route.js";
import { exportRoutes } from "./routes/export.js";
import { healthRoutes } from "./routes/health.js";
import { insightRoutes } from "./routes/insights.js";
import { intakeRoutes } from "./routes/intake.js";
import { queueRoutes } from "./routes/queue.js";

export const API_PREFIX = "/api/v1/training";

export interface AppOptions {
  keys: ApiKey[];
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Longest time a request may take, in ms. */
  requestTimeout?: number;
  /** Requests per minute per API key (or per address without keys). */
  rateLimit?: number;
  logger?: boolean | { level: string };
  /** Failed authentications per address before it waits (default 10 a minute). */
  authThrottle?: AuthThrottleOptions;
  /** Where logs go (default stdout); tests read them to check no key is ever logged. */
  logStream?: NodeJS.WritableStream;
}

declare module "fastify" {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
  interface FastifyContextConfig {
    scope?: Scope | "public";
  }
}

export async function buildApp(store: Store, options: AppOptions): Promise<FastifyInstance> {
  let closing = false;
  const app = Fastify({
    // Requests arriving while the server stops get lexi's 503 body (below), not fastify's own.
    return503OnClosing: false,
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const timeout = (error as NodeJS.ErrnoException).code === "ERR_HTTP_REQUEST_TIMEOUT";
      const body = JSON.stringify(timeout ? errorBody("request_timeout", "the request took too long to arrive; send it again") : errorBody("bad_request", "the request is malformed"));
      socket.end(`HTTP/1.1 ${timeout ? "408 Request Timeout" : "400 Bad Request"}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    bodyLimit: options.bodyLimit ?? SERVE_DEFAULTS.body_limit,
    requestTimeout: options.requestTimeout ?? 30_000,
    // Node checks for timed-out requests every 30 s by default; check often enough to keep the timeout.
    http: { connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor((options.requestTimeout ?? 30_000) / 10))) },
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    logger:
      options.logger === false
        ? false
        : {
            level: "info",
            ...(typeof options.logger === "object" ? options.logger : {}),
            ...(options.logStream ? { stream: options.logStream } : {}),
            redact: ["req.headers.authorization", 'req.headers["x-api-key"]'],
            serializers: {
              req: (request) => ({ method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort }),
            },
          },
  });
  // Nesting is bounded before parsing: a deeply nested body is a 400, never a stack overflow.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (jsonDepth(body as string, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(new InvalidInputError(`the request body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody("not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
  app.addHook("onSend", async (request, reply) => {
    void reply.header("x-request-id", request.id);
    // An answer finished while stopping ends its connection: a kept-alive one would hold the
    // shutdown until the client's keep-alive timeout.
    if (closing) void reply.header("connection", "close");
  });
  const throttle = new AuthThrottle(options.authThrottle ?? DEFAULT_AUTH_THROTTLE);
  app.addHook("onRequest", async (request, reply) => {
    if (closing) return reply.status(503).header("retry-after", "5").send(errorBody("store_unavailable", "the server is shutting down; retry shortly"));
    if (Object.keys((request.query ?? {}) as object).some(isKeyParameter)) {
      return reply.status(401).send(errorBody("unauthorized", "API keys are not accepted in the URL (it ends up in logs and histories): send Authorization: Bearer <key> or X-API-Key: <key>, and replace the key you sent"));
    }
    const scope = request.routeOptions.config.scope;
    if (!scope || scope === "public" || options.keys.length === 0) return;
    const wait = throttle.retryAfter(request.ip);
    if (wait > 0) return reply.status(429).header("retry-after", String(wait)).send(errorBody("rate_limited", `too many failed authentications from this address; retry in ${wait} s`));
    const key = findKey(options.keys, presentedKey(request.headers));
    if (!key) {
      throttle.fail(request.ip);
      return reply.status(401).send(errorBody("unauthorized", "an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>"));
    }
    if (scope === "admin" && key.scope !== "admin") return reply.status(403).send(errorBody("forbidden", "this route needs an admin key"));
    request.apiKey = key;
  });
  await app.register(rateLimit, {
    hook: "preHandler",
    max: options.rateLimit ?? SERVE_DEFAULTS.rate_limit,
    timeWindow: 60_000,
    keyGenerator: (request) => request.apiKey?.label ?? request.ip,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: "rate_limited", message: `rate limit of ${context.max} requests per minute reached; retry in ${Math.ceil(context.ttl / 1000)} s` }),
  });

  const routes = new RouteRegistry(app);
  healthRoutes(routes, store);
  intakeRoutes(routes, store, API_PREFIX);
  queueRoutes(routes, store, API_PREFIX);
  exportRoutes(routes, store, API_PREFIX);
  insightRoutes(routes, store, API_PREFIX);

  await app.register(swagger, { mode: "static", specification: { document: openApiDocument(routes.specs) } });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  return app;
}
