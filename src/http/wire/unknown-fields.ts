/**
 * A POST body's keys its schema does not know. The original accepted and dropped them, so lexi
 * does too (the status and answer stay the original's), and names them in an added
 * `unknown_fields` key so a client can see its typo ("text: unknown field; did you mean
 * feedback_text?"). The key is absent when the body has none.
 */
import type * as z from "zod";
import { describeUnknownField, unknownFields } from "../../domain/unknown-fields.js";

export function unknownFieldsAnswer(schema: z.ZodType, body: unknown): { unknown_fields?: string[] } {
  const found = unknownFields(schema, body);
  return found.length ? { unknown_fields: found.map(describeUnknownField) } : {};
}
