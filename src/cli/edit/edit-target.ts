/**
 * How a reviewer edits a target: in `$VISUAL`/`$EDITOR` when set (a commented YAML file), else in
 * a short question-by-question form. Invalid edits come back with the reason; nothing is returned
 * (so nothing is saved) until the target is valid, and cancelling returns undefined.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Interface } from "node:readline/promises";
import { InvalidInputError } from "../../errors.js";
import { CorrectedTarget } from "../../schema/correction.js";
import type { GrammarError } from "../../schema/interaction.js";
import { readTargetFile, renderTargetFile } from "./target-file.js";

export interface EditContext {
  exampleId: string;
  learnerText: string;
}

/** The editor command the reviewer chose, if any. */
export function chosenEditor(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || undefined;
}

function shellQuote(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}

/** Opens the editor until the file holds a valid target (returned) or is left unchanged (undefined). */
export function editInEditor(editor: string, start: CorrectedTarget, context: EditContext): CorrectedTarget | undefined {
  const dir = mkdtempSync(join(tmpdir(), "lexi-edit-"));
  const file = join(dir, `example-${context.exampleId}.yaml`);
  let text = renderTargetFile(start, context);
  try {
    for (;;) {
      writeFileSync(file, text, { mode: 0o600 });
      // The editor setting may carry arguments (`code --wait`), so the shell reads it.
      const run = spawnSync(`${editor} ${shellQuote(file)}`, { shell: true, stdio: "inherit" });
      if (run.status !== 0) return undefined;
      const edited = readFileSync(file, "utf8");
      if (edited === text) return undefined;
      const result = readTargetFile(edited, start);
      if (result.kind === "unchanged") return undefined;
      if (result.kind === "target") return result.target;
      const withoutOldProblem = edited.replace(/^# NOT SAVED: .*\n# Fix it below, or empty the file to cancel\.\n#\n/, "");
      text = `# NOT SAVED: ${result.problem}\n# Fix it below, or empty the file to cancel.\n#\n${withoutOldProblem}`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ask(prompt: Interface, question: string, current: string): Promise<string> {
  const answer = await prompt.question(current ? `${question} [${current}]: ` : `${question}: `);
  return answer.trim() === "" ? current : answer.trim();
}

/**
 * The form for terminals without an editor: Enter keeps a value, `-` removes an error. Returns
 * undefined when the reviewer changes nothing.
 */
export async function editInForm(prompt: Interface, write: (text: string) => void, start: CorrectedTarget): Promise<CorrectedTarget | undefined> {
  let draft: CorrectedTarget = structuredClone(start);
  for (;;) {
    write("Correct the target (Enter keeps a value, - removes an error).\n");
    const errors: GrammarError[] = [];
    for (const [index, error] of draft.grammar_errors.entries()) {
      const type = await ask(prompt, `Error ${index + 1} type (- removes it)`, error.type);
      if (type === "-") continue;
      const wrong = await ask(prompt, `Error ${index + 1} wrong words`, error.error);
      const correction = await ask(prompt, `Error ${index + 1} correction`, error.correction);
      const explanation = await ask(prompt, `Error ${index + 1} explanation`, error.explanation ?? "");
      errors.push({ ...error, type, error: wrong, correction, ...(explanation ? { explanation } : {}) });
    }
    while ((await prompt.question("Add an error? (y/N): ")).trim().toLowerCase() === "y") {
      const type = await ask(prompt, "New error type", "other");
      const wrong = await ask(prompt, "New error wrong words", "");
      const correction = await ask(prompt, "New error correction", "");
      const explanation = await ask(prompt, "New error explanation", "");
      errors.push({ type, error: wrong, correction, ...(explanation ? { explanation } : {}) });
    }
    const tutor = await ask(prompt, "Tutor response", draft.tutor_response);
    const suggestions = draft.vocabulary_suggestions;
    let vocabulary = suggestions;
    if (!suggestions || suggestions.every((s) => typeof s === "string")) {
      const list = await ask(prompt, "Vocabulary suggestions, comma-separated", (suggestions as string[] | undefined)?.join(", ") ?? "");
      vocabulary = list ? list.split(",").map((s) => s.trim()).filter(Boolean) : suggestions;
    }
    const candidate = { grammar_errors: errors, tutor_response: tutor, ...(vocabulary ? { vocabulary_suggestions: vocabulary } : {}) };
    const parsed = CorrectedTarget.safeParse(candidate);
    if (!parsed.success) {
      write(`Not saved: ${InvalidInputError.fromZod(parsed.error, "target").message}. Try again.\n`);
      draft = candidate as CorrectedTarget;
      continue;
    }
    return JSON.stringify(parsed.data) === JSON.stringify(start) ? undefined : parsed.data;
  }
}
