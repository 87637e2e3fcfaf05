/**
 * Errors from the services name the library's input fields (`validated_by`, `min_quality_score`);
 * on the command line the user typed flags (`--by`, `--min-quality`). The spec of the command that
 * ran says which flag or argument fills which field; fields it has none for stay as they are (a
 * field of an imported file stays the file's field).
 */
import { Option } from "commander";
import type { FieldNamer } from "../errors.js";
import type { CommandSpec } from "./spec.js";

/**
 * @example
 * flagNamer(validate)("validated_by")  // "--by"
 * flagNamer(add)("interaction_id")     // "<interaction-id>"
 */
export function flagNamer(spec: CommandSpec): FieldNamer {
  const names = new Map<string, string>();
  for (const flag of spec.flags ?? []) {
    const option = new Option(flag.flags);
    // `--no-x` and `--x` fill the same field: the positive flag names it.
    if (flag.field && !(option.negate && names.has(flag.field))) names.set(flag.field, option.long!);
  }
  for (const [argument, field] of Object.entries(spec.args ?? {})) names.set(field, `<${argument}>`);
  return (field) => names.get(field) ?? field;
}
