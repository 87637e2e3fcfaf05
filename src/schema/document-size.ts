/**
 * MongoDB stores documents of at most 16 MiB of BSON (its `maxBsonObjectSize`) and refuses larger
 * ones; SQLite would store them. Intake measures the encoded size itself, so both engines refuse
 * the same input with the same message before anything is written.
 */
import { calculateObjectSize } from "bson";
import * as z from "zod";

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Room kept for what lexi adds to an input before storing it (ids, dates, quality indicators,
 * review history), so an input that passes always fits once stored.
 */
const STORAGE_OVERHEAD_BYTES = 64 * 1024;

export const MAX_INPUT_BYTES = MAX_DOCUMENT_BYTES - STORAGE_OVERHEAD_BYTES;

/** Adds an issue when `value` would not fit in one MongoDB document. */
export function checkEncodedSize(value: Record<string, unknown>, context: z.RefinementCtx): void {
  const bytes = calculateObjectSize(value, { ignoreUndefined: true });
  if (bytes > MAX_INPUT_BYTES) {
    context.addIssue({
      code: "custom",
      message: `is ${(bytes / 1_048_576).toFixed(1)} MiB once encoded; a stored document must stay under ${MAX_INPUT_BYTES / 1_048_576} MiB (MongoDB's 16 MiB limit, less lexi's fields)`,
    });
  }
}
