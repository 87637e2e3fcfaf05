/**
 * The file a reviewer edits to correct an example: YAML, with comments that say what each field
 * is, parsed back and validated before anything is saved.
 */
import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify } from "yaml";
import { InvalidInputError } from "../../errors.js";
import { CorrectedTarget } from "../../schema/correction.js";
import { GRAMMAR_ERROR_TYPES } from "../../schema/interaction.js";

const GUIDE = [
  "Save and close to keep the correction; close without changes (or empty the file) to cancel.",
  "",
  "grammar_errors: every mistake in the learner's text, one entry each",
  `  type: ${GRAMMAR_ERROR_TYPES.join(" | ")}`,
  "  error: the wrong words, as the learner wrote them",
  "  correction: the right words",
  "  explanation: (optional) one short sentence for the learner",
  "tutor_response: what the tutor says back to the learner",
  "vocabulary_suggestions: (optional) better words, one list entry each",
];

function comment(lines: string[]): string {
  return lines.map((line) => (line ? `# ${line}` : "#")).join("\n");
}

export function renderTargetFile(target: CorrectedTarget, context: { exampleId: string; learnerText: string; problem?: string }): string {
  const header = [`Correcting example ${context.exampleId}`, `Learner: ${context.learnerText.replace(/\s+/g, " ")}`, ""];
  const problem = context.problem ? [`NOT SAVED: ${context.problem}`, "Fix it below, or empty the file to cancel.", ""] : [];
  return `${comment([...problem, ...header, ...GUIDE])}\n${stringify(target)}`;
}

export type TargetFileResult = { kind: "unchanged" } | { kind: "target"; target: CorrectedTarget } | { kind: "invalid"; problem: string };

/** Reads an edited file back: the new target, no change (cancel), or what is wrong with it. */
export function readTargetFile(text: string, previous: CorrectedTarget): TargetFileResult {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return { kind: "invalid", problem: `not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
  if (data === null || data === undefined) return { kind: "unchanged" };
  const parsed = CorrectedTarget.safeParse(data);
  if (!parsed.success) return { kind: "invalid", problem: InvalidInputError.fromZod(parsed.error, "target").message };
  if (isDeepStrictEqual(parsed.data, previous)) return { kind: "unchanged" };
  return { kind: "target", target: parsed.data };
}

/** A target given as a file (JSON or YAML; `-` reads standard input), parsed but not yet validated. */
export async function readTargetInput(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (error) {
    throw new InvalidInputError(`cannot read --file ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new InvalidInputError(`--file ${file} is neither JSON nor YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
