/**
 * JSON Schema (draft 2020-12) of each file lexi reads, generated from the zod schemas the services
 * validate with, so the published formats cannot drift from the code.
 *
 * @example
 * const schema = importJsonSchema("feedback"); // { title, properties: { interaction_id, rating, … } }
 */
import * as z from "zod";
import { ExportTemplates } from "./export.js";
import { FeedbackInput } from "./feedback.js";
import { InteractionInput } from "./interaction.js";
import { MetricsInput } from "./metrics.js";
import { ProgressInput } from "./progress.js";

export const SCHEMA_KINDS = {
  interactions: { schema: InteractionInput, title: "lexi interaction", description: "One line of `lexi interactions import` (JSONL/NDJSON, or an element of a JSON array); the body of POST /api/v1/ai/interactions." },
  feedback: { schema: FeedbackInput, title: "lexi feedback", description: "One line of `lexi feedback import`; the body of POST /api/v1/training/feedback." },
  progress: { schema: ProgressInput, title: "lexi progress snapshot", description: "One line of `lexi progress import`; the body of POST /api/v1/training/progress/snapshot." },
  metrics: { schema: MetricsInput, title: "lexi model metrics", description: "One evaluation of a model version: one line of `lexi metrics import`, what `lexi metrics log` stores; the body of POST /api/v1/training/metrics/model-performance." },
  template: { schema: ExportTemplates, title: "lexi export template", description: "The file given to `lexi export --template`: per task, the system prompt and the analysis fields that make the target." },
} as const;

export type SchemaKind = keyof typeof SCHEMA_KINDS;
export const SCHEMA_KIND_NAMES = Object.keys(SCHEMA_KINDS) as SchemaKind[];

/** Extended JSON's date, as mongoexport writes it. */
const EXTENDED_JSON_DATE = {
  type: "object",
  properties: { $date: { type: ["string", "number"] } },
  required: ["$date"],
  additionalProperties: false,
};

type JsonSchema = { [key: string]: unknown };

/**
 * A file holds JSON, never a Date or ObjectId instance: a Date becomes Extended JSON's `{"$date": …}`,
 * and alternatives JSON cannot express (an ObjectId instance: `{}`) are left out.
 */
function jsonOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonOnly);
  if (!node || typeof node !== "object") return node;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = key === "anyOf" && Array.isArray(value) ? value.filter((option) => Object.keys(option as object).length > 0).map(jsonOnly) : jsonOnly(value);
  }
  return result;
}

export function importJsonSchema(kind: SchemaKind): JsonSchema {
  const { schema, title, description } = SCHEMA_KINDS[kind];
  const generated = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (context) => {
      if (context.zodSchema._zod.def.type === "date") Object.assign(context.jsonSchema, EXTENDED_JSON_DATE);
    },
  });
  const { $schema, ...rest } = jsonOnly(generated) as JsonSchema;
  return { $schema, title, description, ...rest };
}
