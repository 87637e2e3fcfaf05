/**
 * How the embedded engine names things in SQL: tables, indexes and JSON paths.
 */
import { InvalidInputError } from "../../errors.js";

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The table of a collection. */
export function tableName(collection: string): string {
  if (!NAME_PATTERN.test(collection)) throw new InvalidInputError(`invalid collection name "${collection}"`);
  return `docs_${collection}`;
}

/** The SQLite index behind a MongoDB index name. */
export function sqlIndexName(collection: string, name: string): string {
  return `ix_${collection}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** The SQLite JSON path `$."a"."b"` of the dotted path `a.b` (or of its segments). */
export function jsonPath(path: string | string[]): string {
  const segments = typeof path === "string" ? path.split(".") : path;
  return `$.${segments.map((segment) => `"${segment.replace(/["'\\]/g, "")}"`).join(".")}`;
}

/** `json_extract(doc, '$."a"."b"')` for the dotted path `a.b`. */
export function jsonPathExpression(path: string): string {
  return `json_extract(doc, '${jsonPath(path)}')`;
}
