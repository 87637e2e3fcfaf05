/**
 * Typed errors shared by every layer. Each edge maps them once: the CLI to an exit code and a
 * one-line message, the HTTP server to a 4xx/5xx JSON body.
 *
 * An error about input fields carries them as `issues` ({field, reason}), so each edge can name a
 * field its own way: HTTP by its JSON name, the CLI by the flag that sets it.
 *
 * @example
 * throw new NotFoundError(`no interaction with id ${id}`);
 * throw InvalidInputError.forFields("cannot approve example 42", [{ field: "notes", reason: "add a note" }]);
 */
import type { ZodError } from "zod";

/** One problem with one input field, named as the library names it (dotted for nested fields). */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** How an edge spells a library field: `notes` stays `notes` over HTTP and becomes `--notes` in the CLI. */
export type FieldNamer = (field: string) => string;

export interface LexiErrorOptions {
  cause?: unknown;
  details?: unknown;
  issues?: FieldIssue[];
}

/** At most this many issues are spelled out in a one-line message; all stay in `issues`. */
const LISTED_ISSUES = 5;

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
  readonly issues: readonly FieldIssue[];
  /** With issues: the message before them, so an edge can rebuild it with its own field names. */
  private readonly summary: string;

  constructor(code: LexiErrorCode, message: string, options?: LexiErrorOptions) {
    const issues = options?.issues ?? [];
    super(phraseIssues(message, issues, (field) => field), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
    this.issues = issues;
    this.summary = message;
  }

  /**
   * The message with each field named by the edge; without issues, the message itself.
   *
   * @example
   * error.phrase((field) => `--${field}`) // "cannot approve example 42: --notes: add a note"
   */
  phrase(name: FieldNamer): string {
    return this.issues.length ? phraseIssues(this.summary, this.issues, name) : this.message;
  }
}

function phraseIssues(summary: string, issues: readonly FieldIssue[], name: FieldNamer): string {
  if (issues.length === 0) return summary;
  const listed = issues.slice(0, LISTED_ISSUES).map((issue) => (issue.field ? `${name(issue.field)}: ${issue.reason}` : issue.reason));
  return `${summary}: ${listed.join("; ")}`;
}

export class InvalidInputError extends LexiError {
  constructor(message: string, options?: LexiErrorOptions) {
    super("invalid_input", message, options);
  }

  /** An input error about named fields: `summary: field: reason; field: reason`. */
  static forFields(summary: string, issues: FieldIssue[], options?: Omit<LexiErrorOptions, "issues">): InvalidInputError {
    return new InvalidInputError(summary, { ...options, issues });
  }

  /** Turns zod issues into field issues (the path is the field, the message the reason). */
  static fromZod(error: ZodError, what: string): InvalidInputError {
    return InvalidInputError.forFields(
      `invalid ${what}`,
      error.issues.map((issue) => ({ field: issue.path.join("."), reason: issue.message })),
      { cause: error },
    );
  }
}

export class NotFoundError extends LexiError {
  constructor(message: string, options?: LexiErrorOptions) {
    super("not_found", message, options);
  }
}

/** A unique key already exists (duplicate key on either engine) or a state forbids the change. */
export class ConflictError extends LexiError {
  constructor(message: string, options?: LexiErrorOptions) {
    super("conflict", message, options);
  }
}

export class StoreUnavailableError extends LexiError {
  constructor(message: string, options?: LexiErrorOptions) {
    super("store_unavailable", message, options);
  }
}

/** The user stopped a long command (Ctrl-C, SIGTERM); whatever it wrote was rolled back. */
export class InterruptedError extends LexiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("interrupted", message, options);
  }
}
