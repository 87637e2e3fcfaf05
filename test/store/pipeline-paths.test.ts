import { describe, expect, it } from "vitest";
import { findPaths, pipelinePaths } from "../../src/store/embedded/pipeline-paths.js";

describe("the paths a pipeline reads", () => {
  it("collects filter, unwind, sort and expression paths up to the first reshaping stage", () => {
    expect(
      pipelinePaths([
        { $match: { timestamp: { $gte: new Date(0) }, "analysis.grammar_errors.0": { $exists: true }, $or: [{ user_id: "u" }, { "a.b": 1 }] } },
        { $unwind: "$analysis.grammar_errors" },
        { $group: { _id: { t: "$analysis.grammar_errors.type", l: "$analysis.vocabulary_level" }, n: { $sum: 1 } } },
        { $project: { ignored: "$after.reshape" } },
      ]),
    ).toEqual(["a.b", "analysis.grammar_errors", "analysis.vocabulary_level", "timestamp", "user_id"]);
  });

  it("keeps _id for projections that keep it, and follows $facet", () => {
    expect(pipelinePaths([{ $project: { x: 1 } }])).toEqual(["_id", "x"]);
    expect(pipelinePaths([{ $project: { _id: 0, x: "$y.z" } }])).toEqual(["y.z"]);
    expect(pipelinePaths([{ $facet: { a: [{ $count: "n" }], b: [{ $group: { _id: "$k" } }] } }])).toEqual(["k"]);
  });

  it("gives up (whole documents) when it cannot know", () => {
    expect(pipelinePaths([{ $match: { x: 1 } }])).toBeUndefined();
    expect(pipelinePaths([{ $group: { _id: null, docs: { $push: "$$ROOT" } } }])).toBeUndefined();
    expect(pipelinePaths([{ $project: { secret: 0 } }])).toBeUndefined();
    expect(pipelinePaths([{ $lookup: { from: "x" } }])).toBeUndefined();
    expect(findPaths({ a: 1 }, { projection: { b: 0 } })).toBeUndefined();
    expect(findPaths({ a: 1 }, { projection: { b: 1 }, sort: { c: -1 } })).toEqual(["_id", "a", "b", "c"]);
  });

  it("reads only the ids (and the filter's paths) for a projection of the ids alone", () => {
    expect(findPaths({ _id: { $in: [1, 2] } }, { projection: { _id: 1 } })).toEqual(["_id"]);
    expect(findPaths({ a: 1 }, { projection: { _id: true } })).toEqual(["_id", "a"]);
    // Beside an exclusion, or excluded itself, `_id` makes an exclusion projection: whole documents.
    expect(findPaths({ a: 1 }, { projection: { _id: 1, b: 0 } })).toBeUndefined();
    expect(findPaths({ a: 1 }, { projection: { _id: 0 } })).toBeUndefined();
  });
});
