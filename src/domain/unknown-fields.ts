/**
 * Fields of an input that its zod schema does not know. Zod drops them silently, so a feedback
 * line with `"text"` instead of `"feedback_text"` would lose the comment without a word: this
 * finds them, at any depth, each with the likely meant name.
 *
 * @example
 * unknownFields(FeedbackInput, { interaction_id: "i1", user_id: "u1", rating: 4, text: "great" });
 * // [{ path: "text", suggestion: "feedback_text" }]
 * describeUnknownField({ path: "text", suggestion: "feedback_text" });
 * // "text: unknown field; did you mean feedback_text?"
 */
import type * as z from "zod";
import { nearName } from "./near-name.js";

export interface UnknownField {
  /** Dotted path of the field, with list positions: `analysis.grammar_errors.0.kind`. */
  path: string;
  /** The known field at the same level it most likely stands for. */
  suggestion?: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object shapes a value at this schema may take (several for a union of objects). */
function shapesOf(schema: z.ZodType): Array<Record<string, z.ZodType>> {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return [def.shape!];
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return shapesOf(def.innerType!);
    case "lazy":
      return shapesOf(def.getter!());
    case "pipe":
      // z.preprocess(f, schema) puts the transform first; schema.transform(f) puts it last.
      return defOf(def.in!).type === "transform" ? shapesOf(def.out!) : shapesOf(def.in!);
    case "union":
      return def.options!.flatMap(shapesOf);
    default:
      return [];
  }
}

function elementOf(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === "array") return def.element;
  if (["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(def.type)) return elementOf(def.innerType!);
  if (def.type === "pipe") return elementOf(defOf(def.in!).type === "transform" ? def.out! : def.in!);
  return undefined;
}

export function unknownFields(schema: z.ZodType, value: unknown, prefix = ""): UnknownField[] {
  const found: UnknownField[] = [];
  collectUnknown(schema, value, prefix, found);
  return found;
}

/** Each schema's known fields, merged once: an import asks them for every object of every line. */
const knownFieldsCache = new WeakMap<z.ZodType, { known: Record<string, z.ZodType>; names: string[] } | null>();

function knownFieldsOf(schema: z.ZodType): { known: Record<string, z.ZodType>; names: string[] } | null {
  let entry = knownFieldsCache.get(schema);
  if (entry === undefined) {
    const shapes = shapesOf(schema);
    const known = Object.assign({}, ...shapes) as Record<string, z.ZodType>;
    // Not an object schema (a record, an id wrapper, a free-form object): every key is allowed.
    entry = shapes.length === 0 ? null : { known, names: Object.keys(known) };
    knownFieldsCache.set(schema, entry);
  }
  return entry;
}

function collectUnknown(schema: z.ZodType, value: unknown, prefix: string, found: UnknownField[]): void {
  if (Array.isArray(value)) {
    const element = elementOf(schema);
    if (element) value.forEach((item, index) => collectUnknown(element, item, `${prefix}${index}.`, found));
    return;
  }
  // Only plain objects have fields: a Date or an ObjectId is one value.
  if (!value || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return;
  const fields = knownFieldsOf(schema);
  if (!fields) return;
  for (const key of Object.keys(value)) {
    const inner = (value as Record<string, unknown>)[key];
    if (Object.hasOwn(fields.known, key)) collectUnknown(fields.known[key]!, inner, `${prefix}${key}.`, found);
    else {
      const suggestion = nearName(key, fields.names.filter((name) => !(name in value)));
      found.push(suggestion ? { path: `${prefix}${key}`, suggestion } : { path: `${prefix}${key}` });
    }
  }
}

/** What is wrong with the field, without its name: "unknown field; did you mean feedback_text?". */
export function unknownFieldReason(field: Pick<UnknownField, "suggestion">): string {
  return `unknown field${field.suggestion ? `; did you mean ${field.suggestion}?` : ""}`;
}

export function describeUnknownField(field: UnknownField): string {
  return `${field.path}: ${unknownFieldReason(field)}`;
}

export interface UnknownFieldCount extends UnknownField {
  /** How many records had it. */
  records: number;
}

/**
 * Unknown fields over many records (an import), one entry per field: list positions are folded
 * (`analysis.grammar_errors.*.kind`), so a file's repeated mistake is reported once with its count.
 */
export function countUnknownFields(perRecord: UnknownField[][]): UnknownFieldCount[] {
  const counts = new Map<string, UnknownFieldCount>();
  for (const fields of perRecord) {
    const seen = new Set<string>();
    for (const field of fields) {
      const path = field.path.replace(/(^|\.)\d+(?=\.)/g, "$1*");
      if (seen.has(path)) continue;
      seen.add(path);
      const entry = counts.get(path) ?? { path, ...(field.suggestion ? { suggestion: field.suggestion } : {}), records: 0 };
      entry.records++;
      counts.set(path, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.records - a.records || a.path.localeCompare(b.path));
}
