/**
 * Query parameters derived from a service's input schema. Each parameter turns its text into the
 * field's kind of value and is then checked by the field's own schema, without its default: an
 * absent parameter stays undefined, so the service's default applies. The table given here is the
 * only place a wire name that differs from the field (the original's `task_type`, `start_date`)
 * is written down.
 *
 * @example
 * const Query = wireQuery(QueueFilterInput, { task_type: "task_types", min_quality_score: "min_quality_score" });
 * parseQuery(Query, { task_type: "grammar,fluency" }) // { task_types: ["grammar", "fluency"], min_quality_score: undefined }
 */
import * as z from "zod";
import { fieldOf, type FieldName } from "../../schema/fields.js";
import { qBool, qList, qNumber } from "../query.js";

/** A wire name's field, with a narrower check when the original bounded it more tightly than lexi. */
export interface QueryParam<F extends string> {
  field: F;
  /** Takes the parameter's text; replaces the derived conversion and check. */
  schema: z.ZodType;
}

function fromText(input: z.ZodType, field: string): z.ZodType {
  const { kind, schema } = fieldOf(input, field);
  switch (kind) {
    case "number":
      return qNumber.pipe(schema as z.ZodType<unknown, number>);
    case "boolean":
      return qBool;
    case "list":
      return qList.pipe(schema as z.ZodType<unknown, string[]>);
    default:
      return schema;
  }
}

export function wireQuery<S extends z.ZodType, F extends FieldName<S>>(input: S, params: Record<string, F | QueryParam<F>>): z.ZodType<Partial<z.output<S>>> {
  const entries = Object.entries(params).map(([wire, param]) => {
    const field = typeof param === "string" ? param : param.field;
    const schema = typeof param === "string" ? fromText(input, field) : param.schema;
    return [wire, field, schema] as const;
  });
  const shape = Object.fromEntries(entries.map(([wire, , schema]) => [wire, schema.optional()]));
  return z
    .object(shape)
    .strict()
    .transform((query) => Object.fromEntries(entries.map(([wire, field]) => [field, (query as Record<string, unknown>)[wire]]))) as unknown as z.ZodType<Partial<z.output<S>>>;
}
