import fc from "fast-check";
import { ObjectId } from "bson";
import { Query } from "mingo";
import { describe, expect, it } from "vitest";
import { simpleInclusion } from "../../src/store/embedded/fast-projection.js";
import { project } from "../../src/store/embedded/mql.js";

const FIELDS = ["_id", "a", "b", "nested", "list"];

const value = fc.oneof(
  fc.constantFrom(null, 0, 1.5, "", "text", true, false),
  fc.constant(new Date(0)),
  fc.constant(new ObjectId("6b09a055862002170a42cba9")),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.record({ x: fc.integer(), y: fc.string({ maxLength: 3 }) }),
);
// MongoDB refuses an array as an `_id`.
const doc = fc
  .tuple(fc.dictionary(fc.constantFrom(...FIELDS.filter((field) => field !== "_id")), value), fc.option(value.filter((id) => !Array.isArray(id)), { nil: undefined }))
  .map(([fields, id]) => (id === undefined ? fields : { _id: id, ...fields }));
const projection = fc
  .tuple(fc.subarray(FIELDS.filter((field) => field !== "_id")), fc.constantFrom(1, true), fc.constantFrom(undefined, 0, 1, false, true))
  .map(([fields, flag, id]) => ({ ...Object.fromEntries(fields.map((field) => [field, flag])), ...(id === undefined ? {} : { _id: id }) }));

const byMingo = (docs: Record<string, unknown>[], spec: Record<string, unknown>) => new Query({}).find(docs, spec).all();

describe("projections of named top-level fields", () => {
  it("give what mingo gives, the fields in the document's order", () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 4 }), projection, (docs, spec) => {
        fc.pre(simpleInclusion(spec) !== undefined);
        const ours = project(docs, spec);
        const theirs = byMingo(docs, spec);
        expect(ours).toEqual(theirs);
        expect(ours.map((d) => Object.keys(d))).toEqual(docs.map((d, i) => Object.keys(d).filter((key) => Object.hasOwn(theirs[i]!, key))));
      }),
      { numRuns: 500 },
    );
  });

  it("read a document's own fields only, even those named like Object's (where mingo merges into the prototype's)", () => {
    expect(project([{ _id: 1, constructor: { x: 1 } }], { constructor: 1, toString: 1 })).toEqual([{ constructor: { x: 1 }, _id: 1 }]);
    expect(project([{ _id: 2 }], { constructor: 1, hasOwnProperty: 1 })).toEqual([{ _id: 2 }]);
  });

  it("leave every other projection to mingo", () => {
    for (const spec of [{}, { _id: 0 }, { a: 0 }, { "a.b": 1 }, { a: 2 }, { a: { $slice: 1 } }, { $a: 1 }, { __proto__: 1 } as Record<string, unknown>, { a: 1, b: 0 }]) {
      expect(simpleInclusion(spec)).toBeUndefined();
    }
    expect(simpleInclusion({ _id: 1 })).toEqual({ fields: new Set(), withId: true });
    expect(simpleInclusion({ a: true, _id: false })).toEqual({ fields: new Set(["a"]), withId: false });
  });
});
