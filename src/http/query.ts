/**
 * Query-string values arrive as text (or, when repeated, as lists). These turn them into typed
 * values and refuse anything else, so no object ever reaches a query.
 */
import { z } from "zod";

export const qNumber = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, "must be a number")
  .transform(Number);

export const qInt = z
  .string()
  .regex(/^\d+$/, "must be a whole number")
  .transform(Number);

export const qBool = z.enum(["true", "false", "1", "0"], { message: "must be true or false" }).transform((v) => v === "true" || v === "1");

/** A parameter that may be repeated (`?task_type=a&task_type=b`) or comma-separated. */
export const qList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean));

/** A boolean from a JSON body or a query string. */
export const boolish = z.union([z.boolean(), qBool]);
