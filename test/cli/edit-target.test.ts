import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { editInEditor } from "../../src/cli/edit/edit-target.js";
import { readTargetFile, renderTargetFile } from "../../src/cli/edit/target-file.js";
import type { CorrectedTarget } from "../../src/schema/correction.js";
import { tempDir } from "../helpers/cli.js";

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
  /** A fake editor: applies the next scripted edit (a search/replace) and logs what it was shown. */
  function fakeEditor(edits: Array<[string, string]>): string {
    const script = join(dir, `editor-${edits.length}-${Math.random().toString(36).slice(2)}.mjs`);
    const state = `${script}.state.json`;
    writeFileSync(state, JSON.stringify({ edits, seen: [] }));
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from "node:fs";
const file = process.argv[2];
const state = JSON.parse(readFileSync(${JSON.stringify(state)}, "utf8"));
const text = readFileSync(file, "utf8");
state.seen.push(text);
const [from, to] = state.edits.shift() ?? ["", ""];
writeFileSync(file, from ? text.replace(from, to) : text);
writeFileSync(${JSON.stringify(state)}, JSON.stringify(state));
`,
    );
    chmodSync(script, 0o755);
    return `${process.execPath} ${script}`;
  }
  const seen = (editor: string) => JSON.parse(readFileSync(`${editor.split(" ")[1]}.state.json`, "utf8")).seen as string[];

  it("returns the edited target", () => {
    const editor = fakeEditor([["tutor_response: Good try, say I went to school.", "tutor_response: Nearly, say I went to school."]]);
    expect(editInEditor(editor, start, context)).toEqual({ ...start, tutor_response: "Nearly, say I went to school." });
  });

  it("shows an invalid edit again with the reason, keeping what the reviewer wrote", () => {
    const editor = fakeEditor([
      ["correction: went", "correction: ''"],
      ["correction: ''", "correction: did go"],
    ]);
    const result = editInEditor(editor, start, context);
    expect(result?.grammar_errors[0]!.correction).toBe("did go");
    const screens = seen(editor);
    expect(screens).toHaveLength(2);
    expect(screens[1]).toMatch(/^# NOT SAVED: invalid target: grammar_errors\.0\.correction: must not be empty/);
    expect(screens[1]).toContain("correction: ''");
  });

  it("cancels when the file is closed unchanged", () => {
    expect(editInEditor(fakeEditor([]), start, context)).toBeUndefined();
  });
});
