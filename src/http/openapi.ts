/**
 * The OpenAPI document, generated from the routes' zod schemas (the ones the services validate
 * with), so the docs cannot drift from the code.
 */
import type { StaticDocumentSpec } from "@fastify/swagger";
import * as z from "zod";
import { LEXI_VERSION } from "../version.js";
import type { RouteSpec } from "./route.js";

const ErrorBody = {
  type: "object",
  properties: { error: { type: "string" }, message: { type: "string" }, detail: { type: "string" }, details: {} },
  required: ["error", "message", "detail"],
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodType): unknown[] {
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema: property }));
}

/** An OpenAPI 3.0 document, as @fastify/swagger serves it. */
export type OpenApiDocument = StaticDocumentSpec["document"];

export function openApiDocument(specs: RouteSpec[]): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    const pathParams = [...spec.url.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      parameters: [...pathParams, ...(spec.query ? queryParameters(spec.query) : [])],
      responses: {
        "200": { description: "success", content: { [spec.produces ?? "application/json"]: { schema: {} } } },
        "4XX": { description: "invalid input, authentication, not found, conflict, too large or rate limited", content: { "application/json": { schema: ErrorBody } } },
      },
      ...(spec.scope === "public" ? { security: [] } : { description: `Needs an API key with the ${spec.scope} scope${spec.scope === "app" ? " (or admin)" : ""}.` }),
    };
    if (spec.body) operation.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(spec.body) } } };
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  // The paths hold JSON Schema generated from zod, which the document type cannot check.
  return {
    openapi: "3.0.3",
    info: { title: "lexi", version: LEXI_VERSION, description: "Training data for tutor LLMs: interactions, feedback, the training queue, exports, progress, patterns, analytics and model metrics." },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" }, apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  } as OpenApiDocument;
}
