/**
 * A command, declared: the flags and arguments it takes, which service-input field each one
 * fills, what it runs and how its result is shown. The defaults of those fields live in the input
 * schema only: a flag the user did not give passes `undefined`, and the schema's default applies.
 * One generic loop (command-from-spec.ts) turns a spec into a commander command.
 */
import type * as z from "zod";
import type { FieldName, FieldPath } from "../schema/fields.js";
import type { OpenStoreOptions } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import type { GlobalOptions } from "./store-context.js";

export interface Flag<F extends string = string> {
  /** commander's syntax: `--min-quality <score>`, `--validated-only`, `--no-dedup`. */
  flags: string;
  description: string;
  /** The input field the flag fills (dotted when nested): its conversion from text and its default come from the input schema. */
  field?: F;
  /** How the text becomes a value, where the field's kind is not enough (or the flag fills no field). */
  parse?: (value: string, previous: unknown) => unknown;
  required?: boolean;
  /** The command's own default for a flag that fills no field, said in its help. */
  defaultHelp?: string;
}

export interface RunContext<S extends z.ZodType> {
  /** The store, opened for the command (commands with `store: "none"` have none). */
  readonly store: Store;
  /** The fields the flags and arguments filled; an absent flag is `undefined`. */
  input: z.input<S>;
  /** The values of flags that fill no field, by commander's name (camelCase). */
  options: Record<string, unknown>;
  /** The arguments, in order (a variadic one's items in turn); an absent optional one is `undefined`. */
  args: string[];
  json: boolean;
}

export interface CommandSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  /** The input schema the flags fill. */
  input?: S;
  /** The field each argument fills, by the argument's name in the catalog (`interaction-id`). */
  args?: Record<string, FieldName<S>>;
  flags?: Array<Flag<FieldPath<S>>>;
  /** An existing store (default), one the command may create (quietly: its output names it), or none. */
  store?: "existing" | "create" | "create-quietly" | "none";
  openOptions?(parts: { input: z.input<S>; options: Record<string, unknown> }): OpenStoreOptions;
  run(context: RunContext<S>): Promise<R> | R;
  render(result: R): string;
  /** `stderr` when standard output carries data (export --out -): the result goes beside it. */
  printTo?(options: Record<string, unknown>): "stdout" | "stderr";
  /** Called once the result is printed: throws to end with that error's exit code (a failed gate). */
  verdict?(result: R, options: Record<string, unknown>): void;
}

/** Declares a spec with its input's field names checked. */
export function defineCommand<S extends z.ZodType, R>(spec: CommandSpec<S, R>): CommandSpec<S, R> {
  return spec;
}

export type { GlobalOptions };
