/**
 * A command's spec, made into commander options and an action: each flag fills its input field
 * (converted from text as the field's kind says), the store opens as the spec asks, and the
 * result prints as text or JSON.
 */
import { Option, type Command } from "commander";
import type * as z from "zod";
import { printResult } from "./run-command.js";
import type { CommandSpec, Flag, RunContext } from "./spec.js";
import { withStore, type GlobalOptions } from "./store-context.js";

function defaultText(value: unknown): string | undefined {
  if (value === undefined || value === false || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)) return undefined;
  return Array.isArray(value) ? value.join(",") : String(value);
}

type FieldFlags = typeof import("./field-flags.js");

function optionOf(spec: CommandSpec, flag: Flag, fields: FieldFlags | undefined): Option {
  const option = new Option(flag.flags, flag.description);
  const field = flag.field && spec.input && fields ? fields.fieldOf(spec.input, flag.field) : undefined;
  const parse = flag.parse ?? (field && fields && option.required ? fields.parserFor(field.kind, option.long!) : undefined);
  if (parse) option.argParser(parse);
  if (flag.required) option.makeOptionMandatory();
  // Said in the help only: the schema applies the default when the flag is absent.
  const shown = flag.defaultHelp ?? (field && !option.negate ? defaultText(field.default) : undefined);
  if (shown !== undefined) option.description = `${flag.description} (default: ${shown})`;
  return option;
}

/** Gives a catalog command the options, arguments and action its spec declares. */
export async function defineFromSpec(command: Command, spec: CommandSpec): Promise<void> {
  // Only flags that fill an input schema's fields need zod and the value parsers (`lexi status` has none).
  const fields = spec.input ? await import("./field-flags.js") : undefined;
  const flags = spec.flags ?? [];
  const options = flags.map((flag) => optionOf(spec, flag, fields));
  for (const option of options) command.addOption(option);
  command
    .option("--db <uri>", "store (default: $LEXI_DB, else .lexi/lexi.db)")
    .option("--create", "create the store if its file does not exist (init and seed always may)")
    .option("--json", "print machine-readable JSON");
  command.action(async (...params: unknown[]) => {
    // A variadic argument arrives as a list: its items become arguments in turn.
    const args = params.slice(0, command.registeredArguments.length).flat() as string[];
    const values = command.opts();
    const input: Record<string, unknown> = {};
    const own: Record<string, unknown> = {};
    flags.forEach((flag, i) => {
      const name = options[i]!.attributeName();
      // A value commander supplied itself (`--no-x` implies x = true) is no choice of the user's.
      const given = command.getOptionValueSource(name) === "default" ? undefined : values[name];
      if (flag.field) setPath(input, flag.field, given);
      else own[name] = given;
    });
    command.registeredArguments.forEach((argument, i) => {
      const field = spec.args?.[argument.name()];
      if (field) input[field] = params[i];
    });
    await execute(spec, command, { input, own, args });
  });
}

/** Sets `a.b.c` in nested objects, creating them; an absent value sets nothing below the top. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  if (parts.length > 1 && value === undefined) return;
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

async function execute(spec: CommandSpec, command: Command, parts: { input: Record<string, unknown>; own: Record<string, unknown>; args: string[] }): Promise<void> {
  const global = command.optsWithGlobals() as GlobalOptions;
  const json = Boolean(global.json);
  const run = async (store: RunContext<z.ZodType>["store"] | undefined) =>
    spec.run({
      get store() {
        if (!store) throw new TypeError("this command opens no store");
        return store;
      },
      input: parts.input,
      options: parts.own,
      args: parts.args,
      json,
    });
  const create = spec.store === "create" ? true : spec.store === "create-quietly" ? "quietly" : undefined;
  const result = spec.store === "none" ? await run(undefined) : await withStore({ ...global, create: global.create ?? create }, run, spec.openOptions?.({ input: parts.input, options: parts.own }));
  const stream = spec.printTo?.(parts.own) === "stderr" ? process.stderr : process.stdout;
  printResult(stream, json, result, spec.render);
  spec.verdict?.(result, parts.own);
}
