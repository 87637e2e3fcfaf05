/**
 * `lexi schema <kind>`: the JSON Schema of an import line (or of the export template file).
 */
import { InvalidInputError } from "../../errors.js";
import { importJsonSchema, SCHEMA_KIND_NAMES, type SchemaKind } from "../../schema/json-schemas.js";
import { defineCommand } from "../spec.js";

export function schemaCommand(kind: string): Record<string, unknown> {
  if (!(SCHEMA_KIND_NAMES as string[]).includes(kind)) throw new InvalidInputError(`no schema named "${kind}"; lexi schema takes one of ${SCHEMA_KIND_NAMES.join(", ")}`);
  return importJsonSchema(kind as SchemaKind);
}

export const schema = defineCommand({
  store: "none",
  run: ({ args }) => schemaCommand(args[0]!),
  // The schema is the output for people too: it is meant to be saved or piped to a validator.
  render: (result) => JSON.stringify(result, null, 2),
});
