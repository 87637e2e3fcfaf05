import type * as z from "zod";
import { InvalidInputError } from "../errors.js";
import { operatorKeyPath } from "../schema/common.js";

/**
 * Validates input from outside (CLI flags, HTTP bodies, JSONL lines). Operator keys such as
 * `$ne` are refused anywhere in the value, so nothing from outside can act as a query.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const operator = operatorKeyPath(value);
  if (operator !== undefined) throw InvalidInputError.forFields(`invalid ${what}`, [{ field: operator, reason: "keys starting with $ are not allowed" }]);
  const result = schema.safeParse(value);
  if (!result.success) throw InvalidInputError.fromZod(result.error, what);
  return result.data;
}
