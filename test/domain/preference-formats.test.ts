import { describe, expect, it } from "vitest";
import { dpoRecord, dpoRecordProblem, ktoRecord, ktoRecordProblem } from "../../src/domain/preference-formats.js";

const prompt = { system: "List the grammar errors as JSON.", user: "She go to school yesterday." };

/** TRL's conversational columns, checked without lexi's own validator. */
function isMessageList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((m) => typeof m?.role === "string" && typeof m?.content === "string" && m.content.length > 0);
}

describe("dpoRecord", () => {
  it("writes TRL's conversational preference columns: a prompt ending with the user, one assistant message each side", () => {
    const line = JSON.parse(JSON.stringify(dpoRecord(prompt, '{"grammar_errors":[1]}', '{"grammar_errors":[]}')));
    expect(isMessageList(line.prompt) && isMessageList(line.chosen) && isMessageList(line.rejected)).toBe(true);
    expect(line.prompt.at(-1)).toEqual({ role: "user", content: prompt.user });
    expect(line.chosen).toEqual([{ role: "assistant", content: '{"grammar_errors":[1]}' }]);
    expect(line.rejected).toEqual([{ role: "assistant", content: '{"grammar_errors":[]}' }]);
    expect(line.chosen_message).toEqual(line.chosen[0]);
    expect(line.rejected_message).toEqual(line.rejected[0]);
    expect(dpoRecordProblem(line)).toBeUndefined();
  });

  it("refuses a pair whose two answers are the same, or an empty answer", () => {
    expect(dpoRecordProblem(dpoRecord(prompt, "same", "same"))).toMatch(/same answer/);
    expect(dpoRecordProblem(dpoRecord(prompt, " ", "x"))).toMatch(/empty assistant/);
    expect(dpoRecordProblem(dpoRecord({ ...prompt, user: "" }, "a", "b"))).toMatch(/empty user/);
  });
});

describe("ktoRecord", () => {
  it("writes prompt, one completion and a boolean label, plus the whole conversation for LLaMA-Factory", () => {
    const line = JSON.parse(JSON.stringify(ktoRecord(prompt, "Good answer", false)));
    expect(isMessageList(line.prompt) && isMessageList(line.completion)).toBe(true);
    expect(line.label).toBe(false);
    expect(line.messages).toEqual([...line.prompt, ...line.completion]);
    expect(ktoRecordProblem(line)).toBeUndefined();
  });

  it("refuses a completion that is not an assistant message, or a label that is not boolean", () => {
    const wrongRole = { ...ktoRecord(prompt, "x", true), completion: [{ role: "user" as const, content: "x" }] };
    expect(ktoRecordProblem(wrongRole)).toMatch(/one assistant message/);
    expect(ktoRecordProblem({ ...ktoRecord(prompt, "x", true), label: "yes" as unknown as boolean })).toMatch(/label/);
  });
});
