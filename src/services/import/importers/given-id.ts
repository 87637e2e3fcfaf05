/**
 * The `_id` a record brings (a `mongoexport` line always has one), else one derived from its
 * content: importing the same file again finds the record stored instead of writing it twice.
 */
import type { ObjectId } from "bson";
import { ImportedId } from "../../../schema/common.js";
import { parseInput } from "../../validate.js";
import { contentId } from "../content-key.js";

export function givenOrContentId(converted: unknown, raw: unknown, what: string): ObjectId | string {
  const given = (converted as { _id?: unknown } | null)?._id;
  return given === undefined ? contentId(raw) : parseInput(ImportedId, given, `${what} _id`);
}
