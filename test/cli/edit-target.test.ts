import { afterAll, describe, expect, it } from "vitest";
import { editInEditor } from "../../src/cli/edit/edit-target.js";
import { readTargetFile, renderTargetFile } from "../../src/cli/edit/target-file.js";
import type { CorrectedTarget } from "../../src/schema/correction.js";
import { tempDir } from "../helpers/cli.js";
import { fakeEditor, literal } from "../helpers/fake-editor.js";

const start: CorrectedTarget = {
  grammar_errors: [{ type: "verb_tense", error: "go", correction: "went", explanation: "past time" }],
  tutor_response: "Good try, say I went to school.",
};
const context = { exampleId: "abc", learnerText: "Yesterday I go to school." };

describe("the target file", () => {
  it("explains every field in comments and reads back to the same target", () => {
    const text = renderTargetFile(start, context);
    for (const words of ["grammar_errors:", "type: verb_tense | subject_verb_agreement", "correction: the right words", "tutor_response: what the tutor says", "Learner: Yesterday I go to school."]) expect(text).toContain(words);
    expect(readTargetFile(text, start)).toEqual({ kind: "unchanged" });
    expect(readTargetFile(text.replace("correction: went", "correction: did go"), start)).toEqual({
      kind: "target",
      target: { ...start, grammar_errors: [{ ...start.grammar_errors[0]!, correction: "did go" }] },
    });
  });

  it("names what is wrong with an invalid edit, and treats an emptied file as a cancel", () => {
    const text = renderTargetFile(start, context);
    expect(readTargetFile(text.replace("correction: went", "correction: ''"), start)).toEqual({ kind: "invalid", problem: "invalid target: grammar_errors.0.correction: must not be empty" });
    expect(readTargetFile(text.replace(/^tutor_response:/m, "tutor_reply:"), start)).toMatchObject({ kind: "invalid" });
    expect(readTargetFile("grammar_errors: [\n", start)).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/^not valid YAML/) });
    expect(readTargetFile("# nothing\n", start)).toEqual({ kind: "unchanged" });
  });
});

describe("editing in $EDITOR", () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  it("returns the edited target", () => {
    const editor = fakeEditor(dir, [[literal("tutor_response: Good try, say I went to school.", "tutor_response: Nearly, say I went to school.")]]);
    expect(editInEditor(editor.command, start, context)).toEqual({ ...start, tutor_response: "Nearly, say I went to school." });
  });

  it("shows an invalid edit again with the reason, keeping what the reviewer wrote", () => {
    const editor = fakeEditor(dir, [[literal("correction: went", "correction: ''")], [literal("correction: ''", "correction: did go")]]);
    const result = editInEditor(editor.command, start, context);
    expect(result?.grammar_errors[0]!.correction).toBe("did go");
    const screens = editor.seen();
    expect(screens).toHaveLength(2);
    expect(screens[1]).toMatch(/^# NOT SAVED: invalid target: grammar_errors\.0\.correction: must not be empty/);
    expect(screens[1]).toContain("correction: ''");
  });

  it("cancels when the file is closed unchanged", () => {
    expect(editInEditor(fakeEditor(dir, []).command, start, context)).toBeUndefined();
  });
});
