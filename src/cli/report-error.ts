/**
 * How a failed command ends: one line on standard error (`lexi: …`), or under `--json` one JSON
 * object `{error, message, details}` there, with the same exit code either way. Input errors
 * name the flags of the command that ran, not the library's fields.
 */
import { CommanderError } from "commander";
import { LexiError, type FieldNamer } from "../errors.js";
import { fromSystemError } from "../services/files/system-errors.js";
import { maskSecrets } from "../store/location.js";
import { EXIT_CODES } from "./exit-codes.js";

export interface ErrorBody {
  /** lexi's error code (`invalid_input`, `not_found`, …), `usage` for a command-line mistake, or `unexpected`. */
  error: string;
  message: string;
  /** For input errors the fields, named as flags: `[{field: "--rating", reason}]`; else what the error carries, or null. */
  details: unknown;
}

/** `--json` anywhere before a `--` asks for JSON, errors included. */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** The closed pipe of a reader that stopped early (`lexi … | head`): nothing to report. */
export function isClosedPipe(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as NodeJS.ErrnoException).code === "EPIPE") return true;
  }
  return false;
}

function describe(error: unknown, name: FieldNamer): { code: keyof typeof EXIT_CODES; body: ErrorBody } {
  if (error instanceof CommanderError) {
    return { code: "usage", body: { error: "usage", message: error.message.replace(/^error: /, ""), details: { reason: error.code } } };
  }
  // Operating-system conditions (a missing file, a full disk, a port in use) are the user's to fix.
  const known = error instanceof LexiError ? error : fromSystemError(error);
  if (known) {
    const details = known.issues.length ? known.issues.map((issue) => ({ field: name(issue.field), reason: issue.reason })) : (known.details ?? null);
    return { code: known.code, body: { error: known.code, message: maskSecrets(known.phrase(name)), details } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "unexpected", body: { error: "unexpected", message: `unexpected error: ${maskSecrets(message)}`, details: null } };
}

/** Writes the error and returns the exit code. */
export function reportError(error: unknown, options: { json: boolean; name: FieldNamer }): number {
  if (error instanceof CommanderError) {
    // Help and --version end this way too; commander has printed them (and, without --json, its message).
    if (error.exitCode === 0) return 0;
    if (!options.json) return EXIT_CODES.usage;
  }
  const { code, body } = describe(error, options.name);
  if (options.json) process.stderr.write(`${JSON.stringify(body)}\n`);
  else process.stderr.write(`lexi: ${body.message}\n`);
  if (code === "unexpected" && process.env.LEXI_DEBUG && error instanceof Error) process.stderr.write(`${maskSecrets(error.stack ?? "")}\n`);
  return EXIT_CODES[code];
}
