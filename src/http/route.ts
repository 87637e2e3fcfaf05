/**
 * Declares a route once: fastify gets the handler and its scope, the OpenAPI document gets its
 * schemas (the same zod schemas the services validate with). Every route answers 200 on success,
 * POSTs included, as the original (FastAPI) did: its clients check for 200.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type * as z from "zod";
import { parseInput } from "../services/validate.js";
import type { Scope } from "./auth.js";

export interface RouteSpec {
  method: "GET" | "POST" | "PUT";
  url: string;
  /** Who may call it: `public` (no key), `app` (app or admin keys) or `admin`. */
  scope: Scope | "public";
  summary: string;
  tag: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Documented response type when it is not JSON. */
  produces?: string;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

export class RouteRegistry {
  readonly specs: RouteSpec[] = [];

  constructor(private readonly app: FastifyInstance) {}

  add(spec: RouteSpec): void {
    this.specs.push(spec);
    this.app.route({
      method: spec.method,
      url: spec.url,
      config: { scope: spec.scope },
      handler: async (request, reply) => {
        const result = await spec.handler(request, reply);
        return reply.sent ? reply : result;
      },
    });
  }
}

/** Parses a query string with a zod schema; a wrong value is a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  return parseInput(schema, query ?? {}, "query parameters");
}

/**
 * The request body typed as the service's input. Only a type: the service validates it (and a
 * route that declares `body` documents the same schema).
 */
export function bodyOf<S extends z.ZodType>(_schema: S, request: FastifyRequest): z.input<S> {
  return request.body as z.input<S>;
}

export function pathParam(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? "";
}
