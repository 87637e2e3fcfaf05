/**
 * Typed errors shared by every layer. Each edge maps them once: the CLI to an exit code and a
 * one-line message, the HTTP server to a 4xx/5xx JSON body.
 *
 * @example
 * throw new NotFoundError(`no interaction with id ${id}`);
 */
import type { ZodError } from "zod";

export type LexiErrorCode =
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "store_unavailable"
  | "regression"
  | "interrupted";

export class LexiError extends Error {
  readonly code: LexiErrorCode;
  readonly details?: unknown;

  constructor(code: LexiErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
  }
}

export class InvalidInputError extends LexiError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super("invalid_input", message, options);
  }

  /** Turns zod issues into one readable line, keeping the issues as details. */
  static fromZod(error: ZodError, what: string): InvalidInputError {
    return new InvalidInputError(`invalid ${what}: ${formatZodIssues(error)}`, {
      cause: error,
      details: error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    });
  }
}

export class NotFoundError extends LexiError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super("not_found", message, options);
  }
}

/** A unique key already exists (duplicate key on either engine) or a state forbids the change. */
export class ConflictError extends LexiError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super("conflict", message, options);
  }
}

export class StoreUnavailableError extends LexiError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super("store_unavailable", message, options);
  }
}

/** The user stopped a long command (Ctrl-C, SIGTERM); whatever it wrote was rolled back. */
export class InterruptedError extends LexiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("interrupted", message, options);
  }
}

export function formatZodIssues(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
