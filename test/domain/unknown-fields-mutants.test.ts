/**
 * Unknown fields are found through every zod wrapper a schema may put around an object or a list
 * (optional, nullable, default, prefault, readonly, catch, nonoptional, lazy, preprocess,
 * transform, union), and counted over many records in a stable order.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { countUnknownFields, describeUnknownField, unknownFields } from "../../src/domain/unknown-fields.js";

const Point = z.object({ x: z.number(), y: z.number() });
const paths = (schema: z.ZodType, value: unknown) => unknownFields(schema, value).map((field) => field.path);

describe("unknown fields through wrappers", () => {
  it.each([
    ["optional", Point.optional()],
    ["nullable", Point.nullable()],
    ["default", Point.default({ x: 0, y: 0 })],
    ["prefault", Point.prefault({ x: 0, y: 0 })],
    ["readonly", Point.readonly()],
    ["catch", Point.catch({ x: 0, y: 0 })],
    ["nonoptional", Point.optional().nonoptional()],
    ["lazy", z.lazy(() => Point)],
    ["preprocess", z.preprocess((v) => v, Point)],
    ["transform", Point.transform((p) => p.x + p.y)],
  ] as Array<[string, z.ZodType]>)("finds a stray key inside %s, as a field and inside a list of them", (_name, wrapped) => {
    expect(paths(z.object({ at: wrapped }), { at: { x: 1, y: 2, z: 3 } })).toEqual(["at.z"]);
    expect(paths(z.object({ all: z.array(wrapped) }), { all: [{ x: 1, y: 2 }, { x: 1, y: 2, w: 0 }] })).toEqual(["all.1.w"]);
  });

  it.each([
    ["optional", z.array(Point).optional()],
    ["nullable", z.array(Point).nullable()],
    ["default", z.array(Point).default([])],
    ["prefault", z.array(Point).prefault([])],
    ["readonly", z.array(Point).readonly()],
    ["catch", z.array(Point).catch([])],
    ["nonoptional", z.array(Point).optional().nonoptional()],
    ["preprocess", z.preprocess((v) => v, z.array(Point))],
    ["transform", z.array(Point).transform((list) => list.length)],
  ] as Array<[string, z.ZodType]>)("finds a stray key in a list wrapped in %s", (_name, list) => {
    expect(paths(z.object({ points: list }), { points: [{ x: 1, y: 2, q: 1 }] })).toEqual(["points.0.q"]);
  });

  it("knows every field of every object a union allows", () => {
    const Shape = z.union([z.object({ kind: z.literal("circle"), radius: z.number() }), z.object({ kind: z.literal("square"), side: z.number() })]);
    expect(paths(z.object({ shape: Shape }), { shape: { kind: "circle", radius: 1, side: 2, colour: "red" } })).toEqual(["shape.colour"]);
  });

  it("accepts any key where the schema is not an object, and ignores values that are not objects", () => {
    expect(paths(z.object({ meta: z.record(z.string(), z.unknown()) }), { meta: { anything: 1 } })).toEqual([]);
    expect(paths(z.object({ list: z.string() }), { list: [{ a: 1 }] })).toEqual([]);
    expect(paths(Point, "text")).toEqual([]);
    expect(paths(Point, 42)).toEqual([]);
    expect(paths(Point, null)).toEqual([]);
    expect(paths(z.object({ when: z.date() }), { when: new Date() })).toEqual([]);
    expect(paths(z.object({ when: Point }), { when: new Date() })).toEqual([]);
  });

  it("says so without a suggestion when nothing is near", () => {
    expect(describeUnknownField({ path: "qqqqqqq" })).toBe("qqqqqqq: unknown field");
    expect(unknownFields(Point, { x: 1, y: 2, qqqqqqq: 1 })).toEqual([{ path: "qqqqqqq" }]);
  });
});

describe("unknown fields over many records", () => {
  it("folds list positions at any depth, counts each record once, most frequent first then by name", () => {
    const counted = countUnknownFields([
      [{ path: "b" }, { path: "items.0.extra" }, { path: "items.12.extra" }],
      [{ path: "a" }, { path: "items.3.extra" }, { path: "items.3.sub.10.deep" }],
      [{ path: "0.top" }, { path: "b" }, { path: "c", suggestion: "cc" }],
    ]);
    expect(counted).toEqual([
      { path: "b", records: 2 },
      { path: "items.*.extra", records: 2 },
      { path: "*.top", records: 1 },
      { path: "a", records: 1 },
      { path: "c", suggestion: "cc", records: 1 },
      { path: "items.*.sub.*.deep", records: 1 },
    ]);
  });

  it("ranks by how many records had a field, then alphabetically", () => {
    const counted = countUnknownFields([[{ path: "z" }], [{ path: "z" }], [{ path: "z" }], [{ path: "m" }], [{ path: "m" }], [{ path: "y" }], [{ path: "x" }]]);
    expect(counted.map((field) => `${field.path}:${field.records}`)).toEqual(["z:3", "m:2", "x:1", "y:1"]);
  });
});
