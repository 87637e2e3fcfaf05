/**
 * What every import kind does to a line before writing it: Extended JSON wrappers become values,
 * the fields lexi derives itself are dropped (a `mongoexport` of the original's collection carries
 * them), the record is validated, and fields the schema does not know are found. Unknown fields
 * are kept in the stored document and counted for the summary; with `strict` a record that has
 * any is invalid, so the import writes nothing.
 */
import type * as z from "zod";
import { countUnknownFields, describeUnknownField, unknownFieldReason, unknownFields, type UnknownField } from "../../../domain/unknown-fields.js";
import { InvalidInputError } from "../../../errors.js";
import { fromExtendedJson } from "../../../schema/extended-json.js";
import { parseInput } from "../../validate.js";
import { contentId } from "../content-key.js";
import type { ImportOptions, ImportSummary } from "../import-records.js";

export interface KindImportOptions extends ImportOptions {
  /** Refuse the import when any record has a field its format does not know. */
  strict?: boolean;
}

export interface UnknownFieldReport {
  /** Dotted path; list positions folded to `*`. */
  field: string;
  /** How many records had it (identical records count once). */
  records: number;
  suggestion?: string;
  message: string;
}

export interface KindImportSummary extends ImportSummary {
  /** Fields no lexi format knows, kept as written (refused with `strict`). */
  unknown_fields: UnknownFieldReport[];
}

export interface CheckedRecord<T> {
  item: T;
  /** The record after Extended JSON conversion. */
  converted: unknown;
  unknown: UnknownField[];
}

/** A record's unknown fields, keyed by its content id: identical records count once. */
export interface RecordUnknowns {
  key: string;
  fields: UnknownField[];
}

/** The unknown fields found in `value`, keyed for counting; undefined when it has none. */
export function recordUnknowns(value: unknown, fields: UnknownField[]): RecordUnknowns | undefined {
  return fields.length ? { key: contentId(value).toHexString(), fields } : undefined;
}

export class RecordCheck<S extends z.ZodType> {
  /** Unknown fields per distinct record: a record validated twice (a resumed import's check pass) counts once. */
  private readonly seen = new Map<string, UnknownField[]>();

  constructor(
    private readonly schema: S,
    private readonly what: string,
    /** Top-level fields of stored documents that lexi computes itself; dropped from the input. */
    private readonly derived: readonly string[],
    private readonly strict = false,
  ) {}

  check(value: unknown): CheckedRecord<z.output<S>> {
    const checked = this.inspect(value);
    const unknowns = recordUnknowns(value, checked.unknown);
    if (unknowns) this.note(unknowns);
    return checked;
  }

  /** Validates without counting unknown fields: what a worker thread runs (see check-worker.ts). */
  inspect(value: unknown): CheckedRecord<z.output<S>> {
    const converted = fromExtendedJson(value);
    const input = withoutDerived(converted, this.derived);
    const item = parseInput(this.schema, input, this.what);
    const unknown = unknownFields(this.schema, input);
    if (unknown.length && this.strict) {
      throw InvalidInputError.forFields(`invalid ${this.what} (--strict)`, unknown.map((field) => ({ field: field.path, reason: unknownFieldReason(field) })));
    }
    return { item: keepUnknown(item, input as Record<string, unknown>, unknown), converted, unknown };
  }

  /** Counts the unknown fields of one record, found here or by a worker thread. */
  note({ key, fields }: RecordUnknowns): void {
    this.seen.set(key, fields);
  }

  report(): UnknownFieldReport[] {
    return countUnknownFields([...this.seen.values()]).map(({ path, suggestion, records }) => ({
      field: path,
      records,
      ...(suggestion ? { suggestion } : {}),
      message: describeUnknownField({ path, suggestion }),
    }));
  }

  summary(summary: ImportSummary): KindImportSummary {
    return { ...summary, unknown_fields: this.report() };
  }
}

function withoutDerived(value: unknown, derived: readonly string[]): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !derived.includes(key)));
}

/** The validated item with each unknown field copied back from the input, at its place. */
function keepUnknown<T>(item: T, input: Record<string, unknown>, unknown: UnknownField[]): T {
  for (const { path } of unknown) {
    const keys = path.split(".");
    let target = item as unknown;
    let source = input as unknown;
    for (const key of keys.slice(0, -1)) {
      target = (target as Record<string, unknown> | undefined)?.[key];
      source = (source as Record<string, unknown> | undefined)?.[key];
    }
    const last = keys.at(-1)!;
    if (target && typeof target === "object" && source && typeof source === "object") (target as Record<string, unknown>)[last] = (source as Record<string, unknown>)[last];
  }
  return item;
}

/** The top-level fields of `item` that hold an unknown field, for writers that `$set` them after the service stored the record. */
export function unknownTopFields(checked: CheckedRecord<unknown>): Record<string, unknown> {
  const tops = new Set(checked.unknown.map(({ path }) => path.split(".")[0]!));
  return Object.fromEntries([...tops].map((key) => [key, (checked.item as Record<string, unknown>)[key]]));
}
