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

const INEXPRESSIBLE = /["'\\]/;

/**
 * Whether SQL can name the path: a quote or a backslash in a field name would end the JSON path's
 * label or the SQL string around it. Such a path is read from the decoded document instead.
 */
export function hasJsonPath(path: string | string[]): boolean {
  return !INEXPRESSIBLE.test(typeof path === "string" ? path : path.join("."));
}

/** The SQLite JSON path `$."a"."b"` of the dotted path `a.b` (or of its segments); see hasJsonPath. */
export function jsonPath(path: string | string[]): string {
  if (!hasJsonPath(path)) throw new Error(`the field path ${JSON.stringify(path)} has no SQLite JSON path`);
  const segments = typeof path === "string" ? path.split(".") : path;
  return `$.${segments.map((segment) => `"${segment}"`).join(".")}`;
}
