import { describe, expect, it } from "vitest";
import { nearName } from "../../src/domain/near-name.js";
import { countUnknownFields, describeUnknownField, unknownFields } from "../../src/domain/unknown-fields.js";
import { FeedbackInput } from "../../src/schema/feedback.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { ProgressInput } from "../../src/schema/progress.js";

const interaction = {
  _id: { $oid: "6650a1f2c3d4e5f601234501" },
  session_id: "s1",
  user_id: "u1",
  timestamp: { $date: "2026-03-02T08:15:00Z" },
  user_input: { text: "I go home.", audio_features: { pitch: 1 } },
  processing_time_ms: { asr: 10 },
  analysis: { fluency_score: 0.7, vocabulary_level: "A2", grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], tutor_response: "Say: I went home." },
};

describe("near names", () => {
  it("finds a name by one of its parts, by its start, or by a small typo", () => {
    expect(nearName("text", ["interaction_id", "feedback_text", "rating"])).toBe("feedback_text");
    expect(nearName("fluency", ["fluency_score_avg", "grammar_accuracy"])).toBe("fluency_score_avg");
    expect(nearName("grammer", ["grammar", "fluency", "vocabulary"])).toBe("grammar");
    expect(nearName("Rating", ["rating"])).toBe("rating");
  });

  it("suggests nothing when no name is close", () => {
    expect(nearName("colour", ["rating", "helpful", "accurate"])).toBeUndefined();
    expect(nearName("zz", ["rating"])).toBeUndefined();
  });
});

describe("unknown fields", () => {
  it("finds a feedback line's misnamed comment and names the field it meant", () => {
    const fields = unknownFields(FeedbackInput, { interaction_id: "i1", user_id: "u1", rating: 4, text: "great" });
    expect(fields).toEqual([{ path: "text", suggestion: "feedback_text" }]);
    expect(describeUnknownField(fields[0]!)).toBe("text: unknown field; did you mean feedback_text?");
  });

  it("finds none in a valid interaction with Extended JSON ids, dates and free-form objects", () => {
    expect(unknownFields(InteractionInput, interaction)).toEqual([]);
  });

  it("looks inside nested objects and lists", () => {
    const line = { ...interaction, user_input: { txt: "I go home." }, analysis: { ...interaction.analysis, grammar_errors: [{ kind: "verb_tense", error: "go", correction: "went" }] } };
    expect(unknownFields(InteractionInput, line)).toEqual([
      { path: "user_input.txt", suggestion: "text" },
      { path: "analysis.grammar_errors.0.kind" },
    ]);
  });

  it("reports fields named like an object's built-in members (constructor, toString) as unknown", () => {
    const line = JSON.parse('{"interaction_id":"i1","user_id":"u1","rating":4,"constructor":1,"toString":"x","__proto__":{"a":1}}');
    expect(unknownFields(FeedbackInput, line).map((field) => field.path)).toEqual(["constructor", "toString", "__proto__"]);
  });

  it("finds none in fields left null", () => {
    expect(unknownFields(FeedbackInput, { interaction_id: "i1", user_id: "u1", rating: 4, feedback_text: null, helpful: null })).toEqual([]);
  });

  it("does not suggest a field the record already has", () => {
    expect(unknownFields(FeedbackInput, { interaction_id: "i1", user_id: "u1", rating: 4, feedback_text: "a", text: "b" })).toEqual([{ path: "text" }]);
  });

  it("counts each unknown field once per record over an import, list positions folded", () => {
    const records = [
      unknownFields(ProgressInput, { user_id: "u", level: "B1", fluency: 0.5, common_errors: [{ type: "a", count: 1, note: "x" }, { type: "b", count: 2, note: "y" }] }),
      unknownFields(ProgressInput, { user_id: "u", level: "B1", fluency: 0.6 }),
      unknownFields(ProgressInput, { user_id: "u", level: "B1" }),
    ];
    expect(countUnknownFields(records)).toEqual([
      { path: "fluency", suggestion: "fluency_score_avg", records: 2 },
      { path: "common_errors.*.note", records: 1 },
    ]);
  });
});
