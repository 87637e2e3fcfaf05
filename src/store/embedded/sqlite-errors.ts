import { ConflictError, LexiError, StoreUnavailableError } from "../../errors.js";

interface SqliteError extends Error {
  code?: string;
}

/** Maps better-sqlite3 errors to lexi's typed errors, naming the operation that failed. */
export function wrapSqliteError(error: unknown, operation: string): Error {
  if (error instanceof LexiError) return error;
  const sqlite = error as SqliteError;
  const code = sqlite?.code ?? "";
  if (isUniqueViolation(error)) {
    return new ConflictError(`duplicate key in ${operation}`, { cause: error });
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StoreUnavailableError(`the embedded store stayed locked by another process during ${operation}`, {
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return new StoreUnavailableError(`${operation} failed: the store is read-only for this user (reading commands still work)`, { cause: error });
  }
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_FULL")) {
    return new StoreUnavailableError(`${operation} failed: ${sqlite.message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as SqliteError)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** The error SQLite raises for a duplicate key, for the duplicates lexi detects itself. */
export function uniqueViolation(collection: string): Error {
  return Object.assign(new Error(`UNIQUE constraint failed on ${collection}`), { code: "SQLITE_CONSTRAINT_UNIQUE" });
}
