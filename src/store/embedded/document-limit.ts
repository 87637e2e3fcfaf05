/**
 * MongoDB refuses to store a document whose BSON encoding exceeds 16 MiB (its
 * `maxBsonObjectSize`); SQLite would store it. The embedded engine refuses the same documents,
 * with the error the MongoDB engine maps that refusal to, so a write that works here works there.
 */
import { calculateObjectSize } from "bson";
import { InvalidInputError } from "../../errors.js";
import type { Doc } from "../store.js";

export const MAX_BSON_BYTES = 16 * 1024 * 1024;

/**
 * No BSON encoding is more than 9 times its JSON text (the worst case is an array of one-digit
 * numbers: 2 characters of JSON, up to 17 bytes of BSON), so shorter texts skip the exact count.
 */
const SURELY_FITS_CHARS = Math.floor(MAX_BSON_BYTES / 9);

/** Throws when `doc`, stored as `json`, would be too large for MongoDB. */
export function checkDocumentSize(doc: Doc, json: string, operation: string): void {
  if (json.length <= SURELY_FITS_CHARS) return;
  if (calculateObjectSize(doc, { ignoreUndefined: true }) > MAX_BSON_BYTES) {
    throw new InvalidInputError(`a document is larger than MongoDB's 16 MiB limit (${operation})`);
  }
}
