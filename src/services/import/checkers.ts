/**
 * The record checks a worker thread can run for an import: those that need no store. Each gives
 * the item to store and, for a record with fields no lexi format knows, its content id and those
 * fields, which the importing thread counts.
 */
import type { UnknownField } from "../../domain/unknown-fields.js";
import { contentId } from "./content-key.js";
import { interactionCheck, withImportId } from "./importers/interaction-record.js";

export interface OffThreadChecked {
  item: unknown;
  unknown?: { key: string; fields: UnknownField[] };
}

export const CHECKERS = {
  interaction: (strict: boolean) => {
    const check = interactionCheck(strict);
    return (value: unknown): OffThreadChecked => {
      const { item, unknown } = check.inspect(value);
      return { item: withImportId(item, value), ...(unknown.length ? { unknown: { key: contentId(value).toHexString(), fields: unknown } } : {}) };
    };
  },
};

export type CheckerName = keyof typeof CHECKERS;
