/**
 * Line rules of the trainer formats at their edges: what makes a chat, preference or unpaired
 * preference line invalid (each problem named with its column), targets of several fields, and
 * raw records of corrected examples.
 */
import { describe, expect, it } from "vitest";
import { formatUnit, openAiLineProblem, type ExportUnit } from "../../src/domain/export-formats.js";
import { dpoRecord, dpoRecordProblem, ktoRecord, ktoRecordProblem, type DpoRecord, type KtoRecord } from "../../src/domain/preference-formats.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import { demoInteractions } from "../helpers/fixtures.js";

const prompt = { system: "Correct the sentence.", user: "He go home." };
const dpo = dpoRecord(prompt, "He goes home.", "He go home.");
const kto = ktoRecord(prompt, "He goes home.", true);
const withDpo = (change: Record<string, unknown>) => ({ ...dpo, ...change }) as unknown as DpoRecord;
const withKto = (change: Record<string, unknown>) => ({ ...kto, ...change }) as unknown as KtoRecord;
const assistant = (content: string) => ({ role: "assistant", content });

describe("preference lines", () => {
  it("name the column that is not a non-empty list", () => {
    expect(dpoRecordProblem(withDpo({ prompt: [] }))).toBe("prompt must be a non-empty list of messages");
    expect(dpoRecordProblem(withDpo({ chosen: "He goes home." }))).toBe("chosen must be a non-empty list of messages");
    expect(dpoRecordProblem(withDpo({ rejected: [] }))).toBe("rejected must be a non-empty list of messages");
    expect(ktoRecordProblem(withKto({ completion: [] }))).toBe("completion must be a non-empty list of messages");
  });

  it("name a message that is not an object, has an unknown role, or holds no text", () => {
    expect(dpoRecordProblem(withDpo({ chosen: [null] }))).toBe("chosen holds a message that is not an object");
    expect(dpoRecordProblem(withDpo({ chosen: ["He goes home."] }))).toBe("chosen holds a message that is not an object");
    expect(dpoRecordProblem(withDpo({ rejected: [{ role: "tool", content: "x" }] }))).toBe('rejected holds an unknown role "tool"');
    expect(dpoRecordProblem(withDpo({ chosen: [{ role: "assistant", content: 42 }] }))).toBe("chosen holds an empty assistant message");
    expect(ktoRecordProblem(withKto({ completion: [assistant(" ")] }))).toBe("completion holds an empty assistant message");
  });

  it("want exactly one assistant message per answer, and a prompt ending with the user", () => {
    expect(dpoRecordProblem(withDpo({ chosen: [assistant("a"), assistant("b")] }))).toBe("chosen must be exactly one assistant message");
    expect(ktoRecordProblem(withKto({ completion: [assistant("a"), assistant("b")] }))).toBe("completion must be exactly one assistant message");
    const endsWithAnswer = [...dpo.prompt, assistant("Earlier answer")];
    expect(dpoRecordProblem(withDpo({ prompt: endsWithAnswer }))).toBe("prompt must end with the user's message");
    expect(ktoRecordProblem(withKto({ prompt: endsWithAnswer }))).toBe("prompt must end with the user's message");
    expect(ktoRecordProblem(withKto({ prompt: [{ role: "user", content: "" }] }))).toBe("prompt holds an empty user message");
  });
});

describe("chat lines", () => {
  it("need at least one message, each with text", () => {
    expect(openAiLineProblem({})).toBe("no messages");
    expect(openAiLineProblem({ messages: [] })).toBe("no messages");
    expect(openAiLineProblem({ messages: [{ role: "user", content: 7 }] })).toBe("empty content for user");
    expect(openAiLineProblem({ messages: [{ role: "user", content: "hi" }] })).toBe("no assistant message");
  });
});

describe("targets and raw records", () => {
  const analysis = InteractionInput.parse(demoInteractions(1)[0]).analysis;
  const unit: ExportUnit = { exampleId: "e1", task: "grammar", input: "I go to school yesterday.", analysis, taskTypes: ["grammar"], difficulty: "B1", quality: 0.9 };

  it("are JSON of the named fields when a template names several, even if the first is text", () => {
    const line = JSON.parse(formatUnit(unit, "alpaca", { grammar: { system: "Reply.", fields: ["tutor_response", "fluency_score"] } }).line);
    expect(JSON.parse(line.output)).toEqual({ tutor_response: analysis.tutor_response, fluency_score: analysis.fluency_score });
  });

  it("keep the tutor's original output beside a corrected one, and only then", () => {
    const corrected = { ...analysis, tutor_response: "Use went." };
    expect(JSON.parse(formatUnit({ ...unit, analysis: corrected, originalAnalysis: analysis }, "raw", {}).line)).toMatchObject({ output: corrected, original_output: analysis });
    expect("original_output" in JSON.parse(formatUnit(unit, "raw", {}).line)).toBe(false);
  });
});
