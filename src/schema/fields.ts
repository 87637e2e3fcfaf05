/**
 * What an edge needs to know about one field of a service's input schema to fill it from text (a
 * flag, a query parameter): the kind of value it takes, its default, and the schema without the
 * default. Defaults live only in the input schemas; edges read them from here (for help texts)
 * and otherwise pass `undefined`, so the schema's default applies.
 *
 * @example
 * fieldOf(QueueFilterInput, "limit")      // { kind: "number", default: 100, schema: ZodNumber }
 * fieldOf(QueueFilterInput, "task_types") // { kind: "list", default: [], schema: ZodArray }
 */
import * as z from "zod";
import { CEFR_LEVELS } from "./common.js";

export type FieldKind = "number" | "boolean" | "list" | "date" | "level" | "text";

export interface FieldInfo<Output = unknown, Input = unknown> {
  kind: FieldKind;
  /** The schema's default, when it has one. */
  default?: unknown;
  /** The field's schema with its default and optionality taken off. */
  schema: z.ZodType<Output, Input>;
}

/** A field of an input schema, by the name callers give it. */
export type FieldName<S extends z.ZodType> = Extract<keyof z.input<S>, string>;

/** A field, or a nested one by its dotted path. */
export type FieldPath<S extends z.ZodType> = FieldName<S> | `${FieldName<S>}.${string}`;

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; options?: z.ZodType[]; entries?: Record<string, string> };
const defOf = (schema: z.ZodType) => schema._zod.def as unknown as Def;

const WRAPPERS = new Set(["default", "prefault", "optional", "nullable"]);

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (WRAPPERS.has(defOf(current).type)) current = defOf(current).innerType!;
  return current;
}

function kindOf(schema: z.ZodType): FieldKind {
  const def = defOf(schema);
  switch (def.type) {
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "list";
    case "date":
      return "date";
    case "enum":
      return Object.values(def.entries ?? {}).join() === CEFR_LEVELS.join() ? "level" : "text";
    case "union":
      return def.options!.some((option) => kindOf(option) === "date") ? "date" : "text";
    case "pipe":
      // A preprocess is a pipe from a transform: its kind is that of what it feeds.
      return kindOf(defOf(def.in!).type === "transform" ? def.out! : def.in!);
    default:
      return "text";
  }
}

/** The fields of an object schema (also behind refinements, which zod keeps on the object). */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) throw new TypeError("an input schema must be an object schema");
  return inner.shape as Record<string, z.ZodType>;
}

/** A field by name, or a nested field by its dotted path (`user_input.text`). */
function fieldSchemaAt(schema: z.ZodType, path: string): z.ZodType {
  let current = schema;
  for (const part of path.split(".")) {
    const next = shapeOf(current)[part];
    if (!next) throw new TypeError(`the input schema has no field ${path}`);
    current = next;
  }
  return current;
}

export function fieldOf<S extends z.ZodType, K extends FieldName<S>>(schema: S, field: K): FieldInfo<Exclude<z.output<S>[K & keyof z.output<S>], undefined>, Exclude<z.input<S>[K], undefined>>;
export function fieldOf(schema: z.ZodType, path: string): FieldInfo;
export function fieldOf(schema: z.ZodType, path: string): FieldInfo {
  const fieldSchema = fieldSchemaAt(schema, path);
  const inner = unwrap(fieldSchema);
  const type = defOf(fieldSchema).type;
  const info: FieldInfo = { kind: kindOf(inner), schema: inner };
  if (type === "default" || type === "prefault") info.default = fieldSchema.parse(undefined);
  return info;
}
