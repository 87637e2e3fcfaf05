/**
 * Query-string values arrive as text (or, when repeated, as lists). These turn them into typed
 * values and refuse anything else, so no object ever reaches a query. They read what the
 * original (FastAPI) read: Python clients send booleans as `True`/`False`, and numbers in any
 * float spelling.
 */
import * as z from "zod";

export const qNumber = z
  .string()
  .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, "must be a number")
  .transform(Number);

export const qInt = z
  .string()
  .regex(/^[+-]?\d+$/, "must be a whole number")
  .transform(Number);

/** A whole number from `min` to `max`; outside, the message says the range. */
export const qIntIn = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  qInt.pipe(
    z
      .number()
      .min(min, max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be from ${min} to ${max}`)
      .max(max, `must be from ${min} to ${max}`),
  );

/** A number from 0 to 1 (a quality score). */
export const qScore = qNumber.pipe(z.number().min(0, "must be from 0 to 1").max(1, "must be from 0 to 1"));

const TRUE = ["true", "1", "yes", "on", "t", "y"];
const FALSE = ["false", "0", "no", "off", "f", "n"];

/** The spellings pydantic (and so the original) accepts, in any case: `True`, `false`, `1`, `no`, … */
export const qBool = z
  .string()
  .transform((value) => value.toLowerCase())
  .refine((value) => TRUE.includes(value) || FALSE.includes(value), "must be true or false")
  .transform((value) => TRUE.includes(value));

/** A parameter that may be repeated (`?task_type=a&task_type=b`) or comma-separated. */
export const qList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean));

/** A boolean from a JSON body or a query string. */
export const boolish = z.union([z.boolean(), qBool]);

/** The original's bounds on its query parameters. */
export const qDays = qIntIn(1, 365);
