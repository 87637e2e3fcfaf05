import { Double, EJSON, Int32, Long, ObjectId } from "bson";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { fromExtendedJson } from "../../src/schema/extended-json.js";

/** A value as `mongoexport --jsonFormat=canonical` writes it, parsed as lexi's reader parses a line. */
const canonical = (value: unknown) => JSON.parse(EJSON.stringify(value, { relaxed: false })) as unknown;

describe("fromExtendedJson", () => {
  it("turns every canonical number, date and ObjectId wrapper into its value, at any depth", () => {
    const id = new ObjectId();
    const at = new Date("1969-07-20T20:17:00Z");
    const line = canonical({ int: new Int32(-7), long: Long.fromString("-9007199254740991"), double: new Double(1), nan: new Double(Number.NaN), inf: new Double(Number.NEGATIVE_INFINITY), at, id, list: [{ n: new Int32(3) }] });
    expect(JSON.stringify(line)).toContain('"$numberLong":"-9007199254740991"');
    expect(fromExtendedJson(line)).toEqual({ int: -7, long: -9007199254740991, double: 1, nan: Number.NaN, inf: Number.NEGATIVE_INFINITY, at, id, list: [{ n: 3 }] });
  });

  it("leaves relaxed Extended JSON dates to the date schema and plain JSON untouched", () => {
    const line = { when: { $date: "2026-03-02T08:15:00Z" }, n: 5, s: "$numberInt", nested: { a: [1, "b"] } };
    expect(fromExtendedJson(line)).toEqual(line);
  });

  it("leaves operators and unknown $ keys as they are, for the operator check to refuse", () => {
    const line = { rating: { $gt: { $numberInt: "1" } }, $where: "1", wrapped: { $numberInt: "1", extra: true }, decimal: { $numberDecimal: "1.5" } };
    expect(fromExtendedJson(line)).toEqual({ rating: { $gt: 1 }, $where: "1", wrapped: { $numberInt: "1", extra: true }, decimal: { $numberDecimal: "1.5" } });
  });

  it.each([
    [{ $numberInt: "2147483648" }, "$numberInt must hold a 32-bit integer"],
    [{ $numberInt: 5 }, "$numberInt must hold a 32-bit integer as a string"],
    [{ $numberLong: "1e3" }, "$numberLong must hold an integer"],
    [{ $numberLong: "-9007199254740993" }, "-9007199254740993 is too large to keep exactly"],
    [{ $numberDouble: "" }, "$numberDouble must hold a number"],
    [{ $oid: "abc" }, "$oid must hold 24 hexadecimal characters"],
    [{ $date: { $numberLong: "1e5" } }, "$date must hold"],
    [{ $date: { $numberLong: "99999999999999999" } }, `{"$numberLong":"99999999999999999"} is outside the dates JavaScript can hold`],
  ])("refuses %j, naming the field", (wrapper, reason) => {
    const error = (() => {
      try {
        fromExtendedJson({ a: [{ b: wrapper }] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain(`invalid Extended JSON: a.0.b: ${reason}`);
  });
});
