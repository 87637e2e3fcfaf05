/**
 * The fastify app of `lexi serve`: a thin skin over the services. Each route calls the same
 * function as its CLI command; errors are mapped once; keys, limits and logs are set here.
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { Store } from "../store/store.js";
import { findKey, presentedKey, type ApiKey, type Scope } from "./auth.js";
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
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1_048_576,
    requestTimeout: options.requestTimeout ?? 30_000,
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
          },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody("not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
  app.addHook("onSend", async (request, reply) => {
    void reply.header("x-request-id", request.id);
  });
  app.addHook("onRequest", async (request, reply) => {
    const scope = request.routeOptions.config.scope;
    if (!scope || scope === "public" || options.keys.length === 0) return;
    const key = findKey(options.keys, presentedKey(request.headers));
    if (!key) return reply.status(401).send(errorBody("unauthorized", "an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>"));
    if (scope === "admin" && key.scope !== "admin") return reply.status(403).send(errorBody("forbidden", "this route needs an admin key"));
    request.apiKey = key;
  });
  await app.register(rateLimit, {
    hook: "preHandler",
    max: options.rateLimit ?? 1200,
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

  await app.register(swagger, { mode: "static", specification: { document: openApiDocument(routes.specs) as never } });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  return app;
}
