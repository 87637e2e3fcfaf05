/**
 * Turning command-line strings into typed values; the services validate the result.
 */
import { InvalidInputError } from "../errors.js";
import type { ImportSource } from "../services/import/import-records.js";

/** A strict number: "4.5" → 4.5, "abc" → an error naming the flag. */
export function numberOption(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === "" || Number.isNaN(number)) throw new InvalidInputError(`${flag} must be a number; got "${value}"`);
    return number;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `-` reads standard input; anything else is a file path. */
export function importSource(file: string): ImportSource {
  return file === "-" ? { stream: process.stdin } : { path: file };
}
