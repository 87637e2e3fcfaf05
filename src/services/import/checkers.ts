/**
 * The record checks a worker thread can run for an import: those that need no store. Each gives
 * the item to store and, for a record with fields no lexi format knows, its content id and those
 * fields, which the importing thread counts.
 */
import { checkInteraction, interactionCheck } from "./importers/interaction-record.js";
import type { RecordUnknowns } from "./importers/record-check.js";

export interface OffThreadChecked {
  item: unknown;
  unknown?: RecordUnknowns;
}

export const CHECKERS = {
  interaction: (strict: boolean) => {
    const check = interactionCheck(strict);
    return (value: unknown): OffThreadChecked => checkInteraction(check, value);
  },
};

export type CheckerName = keyof typeof CHECKERS;
