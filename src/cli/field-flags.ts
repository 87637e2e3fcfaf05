/**
 * What a flag takes from the input field it fills: the field's kind and default (read from the
 * zod schema), and the conversion from text that kind needs on the command line.
 */
import type { Flag } from "./spec.js";
import type { FieldKind } from "../schema/fields.js";
import { collect, dateOption, levelOption, numberOption } from "./input.js";

export { fieldOf } from "../schema/fields.js";

/** The text-to-value conversion a field's kind needs on the command line. */
export function parserFor(kind: FieldKind, flag: string): Flag["parse"] {
  switch (kind) {
    case "number":
      return numberOption(flag);
    case "level":
      return levelOption(flag);
    case "date":
      return dateOption(flag);
    case "list":
      return collect;
    default:
      return undefined;
  }
}

