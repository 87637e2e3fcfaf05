/**
 * Turning command-line strings into typed values; the services validate the result.
 */
import { parseLevel } from "../domain/cefr.js";
import { parseDateExpression } from "../domain/date-expression.js";
import { unknownTaskWarning } from "../domain/task-names.js";
import { InvalidInputError } from "../errors.js";
import type { CefrLevel } from "../schema/common.js";
import type { ImportSource } from "../services/import/import-records.js";
import { warn } from "./output/warn.js";

/** A strict number: "4.5" → 4.5, "abc" → an error naming the flag. */
export function numberOption(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === "" || Number.isNaN(number)) throw new InvalidInputError(`${flag} must be a number; got "${value}"`);
    return number;
  };
}

/** A repeatable flag's values, in order (commander passes the earlier ones as `previous`). */
export function collect(value: string, previous: unknown): string[] {
  return [...((previous as string[] | undefined) ?? []), value];
}

/** A CEFR level in any case: `b2` → `B2`. */
export function levelOption(flag: string) {
  return (value: string): CefrLevel => parseLevel(value, flag);
}

/** How a date flag's help names the forms it takes. */
export const DATE_HELP = "ISO 8601, today, yesterday, or an age (7d, 12h, 2w)";

/** ISO dates as given; `today`, `yesterday`, `7d` … become an ISO time. */
export function dateOption(flag: string) {
  return (value: string): string => parseDateExpression(value, new Date(), flag);
}

/** A repeatable --task; a name lexi does not know is kept, with a warning naming the known ones. */
export function taskOption(value: string, previous: unknown): string[] {
  warn(unknownTaskWarning([value]));
  return collect(value, previous);
}

/** `-` reads standard input; anything else is a file path. */
export function importSource(file: string): ImportSource {
  return file === "-" ? { stream: process.stdin } : { path: file };
}
