import { describe, expect, it } from "vitest";
import { dedupKey, normalizeText } from "../../src/domain/dedup-key.js";
import { FormatRuleError, formatUnit, openAiLineProblem, type ExportUnit } from "../../src/domain/export-formats.js";
import { parseSplit, splitEnds } from "../../src/domain/split.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { demoInteractions } from "../helpers/fixtures.js";

const analysis = InteractionInput.parse(demoInteractions(1)[0]).analysis;
const unit: ExportUnit = { exampleId: "e1", task: "grammar", input: "I go to school yesterday.", analysis: { ...analysis, grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }] }, taskTypes: ["grammar", "fluency"], difficulty: "B1", quality: 0.9 };

const lineOf = (...args: Parameters<typeof formatUnit>) => formatUnit(...args).line;

describe("export formats", () => {
  it("raw keeps the original record shape plus the example id", () => {
    expect(Object.keys(JSON.parse(lineOf(unit, "raw", {})))).toEqual(["id", "input", "output", "task_types", "difficulty_level", "quality_score"]);
  });

  it("openai: system prompt of the task, learner as user, the task's target as assistant", () => {
    const line = JSON.parse(lineOf(unit, "openai", {}));
    expect(line.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(line.messages[1].content).toBe(unit.input);
    expect(JSON.parse(line.messages[2].content)).toEqual({ grammar_errors: [{ type: "verb_tense", error: "go", correction: "went" }], corrected_sentence: "I went to school yesterday." });
    expect(openAiLineProblem(line)).toBeUndefined();
  });

  it("the grammar target ends with the corrected sentence, left out (and said so) when an error is not in the text", () => {
    expect(formatUnit(unit, "alpaca", {}).uncorrected).toBe(false);
    const lost = formatUnit({ ...unit, analysis: { ...unit.analysis, grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }] } }, "alpaca", {});
    expect(lost.uncorrected).toBe(true);
    expect(JSON.parse(JSON.parse(lost.line).output)).toEqual({ grammar_errors: [{ type: "article", error: "a apple", correction: "an apple" }] });
    const clean = formatUnit({ ...unit, input: "I went home.", analysis: { ...unit.analysis, grammar_errors: [] } }, "alpaca", {});
    expect(JSON.parse(JSON.parse(clean.line).output)).toEqual({ grammar_errors: [], corrected_sentence: "I went home." });
    expect(formatUnit({ ...unit, task: "fluency" }, "alpaca", {}).uncorrected).toBe(false);
    expect(JSON.parse(lineOf({ ...unit, task: "fluency" }, "alpaca", { fluency: { fields: ["corrected_sentence"] } })).output).toBe("I went to school yesterday.");
  });

  it("alpaca and sharegpt carry the same three parts", () => {
    expect(Object.keys(JSON.parse(lineOf(unit, "alpaca", {})))).toEqual(["instruction", "input", "output"]);
    const share = JSON.parse(lineOf({ ...unit, task: "tutor_response" }, "sharegpt", {}));
    expect(share.conversations.map((c: { from: string }) => c.from)).toEqual(["system", "human", "gpt"]);
    expect(share.conversations[2].value).toBe(unit.analysis.tutor_response);
  });

  it("takes prompts and target fields from templates", () => {
    const line = JSON.parse(lineOf(unit, "alpaca", { grammar: { system: "Fix it.", fields: ["grammar_errors", "fluency_score"] } }));
    expect(line.instruction).toBe("Fix it.");
    expect(Object.keys(JSON.parse(line.output))).toEqual(["grammar_errors", "fluency_score"]);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("treats the task name %s as data, not an object property", (task) => {
    for (const format of ["openai", "alpaca", "sharegpt"] as const) {
      const line = JSON.parse(lineOf({ ...unit, task }, format, {}));
      expect(JSON.stringify(line)).toContain("Analyse the learner's sentence");
    }
    const custom = JSON.parse(lineOf({ ...unit, task }, "alpaca", JSON.parse(`{"${task}": {"system": "Own prompt.", "fields": ["fluency_score"]}}`)));
    expect(custom).toMatchObject({ instruction: "Own prompt.", output: JSON.stringify({ fluency_score: unit.analysis.fluency_score }) });
  });

  it("refuses to write an openai line that breaks the format's rules", () => {
    expect(() => formatUnit({ ...unit, task: "tutor_response", analysis: { ...unit.analysis, tutor_response: "   " } }, "openai", {})).toThrow(FormatRuleError);
    expect(openAiLineProblem({ messages: [{ role: "user", content: "hi" }] })).toBe("no assistant message");
    expect(openAiLineProblem({ messages: [{ role: "robot", content: "hi" }] })).toBe('unknown role "robot"');
  });
});

describe("dedup keys", () => {
  it("treat case, spacing, curly quotes and final punctuation as the same text", () => {
    expect(normalizeText("  I’m   going HOME!! ")).toBe(normalizeText("i'm going home"));
    expect(dedupKey("grammar", "A b.")).not.toBe(dedupKey("fluency", "A b."));
  });
});

describe("splits", () => {
  it("parse ratios that add up to 1 and refuse others", () => {
    expect(parseSplit("0.9,0.05,0.05")).toEqual([0.9, 0.05, 0.05]);
    expect(() => parseSplit("0.9,0.2")).toThrow(/add up to 1/);
    expect(() => parseSplit("a,b")).toThrow(/between 0 and 1/);
    expect(() => parseSplit("0.9,0,0.1")).toThrow(/above 0/);
  });

  it("cut ranked groups so every split gets one when there are enough groups", () => {
    const sizes = (groups: number, ratios: number[]) => splitEnds(groups, ratios).map((end, i, ends) => end - (i ? ends[i - 1]! : 0));
    expect(sizes(3, [0.9, 0.05, 0.05])).toEqual([1, 1, 1]);
    expect(sizes(16, [0.9, 0.05, 0.05])).toEqual([14, 1, 1]);
    expect(sizes(16, [0.8, 0.1, 0.1])).toEqual([13, 1, 2]);
    expect(sizes(1000, [0.8, 0.1, 0.1])).toEqual([800, 100, 100]);
    expect(sizes(2, [0.9, 0.05, 0.05])).toEqual([1, 1, 0]);
    expect(sizes(7, [1])).toEqual([7]);
  });
});
