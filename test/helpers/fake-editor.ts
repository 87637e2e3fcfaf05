/**
 * A scripted `$EDITOR` for tests: each time it is opened it applies the next save's edits (regular
 * expressions with their replacements) to the file, and it records every text it was shown.
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ScriptedEdit {
  pattern: string;
  flags?: string;
  replacement: string;
}

/** An edit that replaces the first occurrence of `from`, taken literally. */
export function literal(from: string, to: string): ScriptedEdit {
  return { pattern: from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), replacement: to.replace(/\$/g, "$$$$") };
}

export interface FakeEditor {
  /** The command to put in `$EDITOR`. */
  command: string;
  /** The texts the editor was shown, one per opening. */
  seen(): string[];
}

let editors = 0;

/** `saves[i]` holds the edits of the i-th opening; past the last one, the file is saved unchanged. */
export function fakeEditor(dir: string, saves: ScriptedEdit[][]): FakeEditor {
  const script = join(dir, `fake-editor-${++editors}.mjs`);
  const state = `${script}.state.json`;
  writeFileSync(state, JSON.stringify({ saves, seen: [] }));
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from "node:fs";
const file = process.argv[2];
const state = JSON.parse(readFileSync(${JSON.stringify(state)}, "utf8"));
const text = readFileSync(file, "utf8");
state.seen.push(text);
const edits = state.saves.shift() ?? [];
writeFileSync(file, edits.reduce((next, e) => next.replace(new RegExp(e.pattern, e.flags ?? ""), e.replacement), text));
writeFileSync(${JSON.stringify(state)}, JSON.stringify(state));
`,
  );
  chmodSync(script, 0o755);
  return { command: `${process.execPath} ${script}`, seen: () => JSON.parse(readFileSync(state, "utf8")).seen as string[] };
}
