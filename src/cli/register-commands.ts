/**
 * Turns the catalog into commander commands. A command's spec module loads only when that
 * command is about to run (or show its help), so `lexi --help` loads none of them.
 */
import { Option, type Command } from "commander";
import type { z } from "zod";
import { fieldOf, type FieldKind } from "../schema/fields.js";
import { CATALOG, GROUPS } from "./commands/catalog.js";
import { collect, dateOption, levelOption, numberOption } from "./input.js";
import { printResult } from "./run-command.js";
import type { CommandSpec, Flag, RunContext } from "./spec.js";
import { withStore, type GlobalOptions } from "./store-context.js";

/** The spec each command was defined from, once loaded; errors name fields by its flags. */
const loaded = new WeakMap<Command, CommandSpec>();

export function specOf(command: Command): CommandSpec | undefined {
  return loaded.get(command);
}

export function registerCommands(program: Command): void {
  const groups = new Map<string, Command>();
  const stubs = new Map<Command, (typeof CATALOG)[number]>();
  const parentOf = (name: string): Command => {
    let group = groups.get(name);
    if (!group) {
      group = program.command(name).description(GROUPS[name] ?? "");
      group.hook("preSubcommand", (_group, sub) => load(sub));
      groups.set(name, group);
    }
    return group;
  };
  const load = async (command: Command) => {
    const entry = stubs.get(command);
    if (!entry) return;
    stubs.delete(command);
    defineFromSpec(command, await entry.load());
  };
  for (const entry of CATALOG) {
    const [first, ...rest] = entry.usage.split(" ");
    const nested = rest.length > 0 && !/^[<[]/.test(rest[0]!);
    const command = nested ? parentOf(first!).command(rest.join(" ")) : program.command(entry.usage);
    command.description(entry.description);
    stubs.set(command, entry);
  }
  program.hook("preSubcommand", (_program, sub) => load(sub));
}

/** The text-to-value conversion a field's kind needs on the command line. */
function parserFor(kind: FieldKind, flag: string): Flag["parse"] {
  switch (kind) {
    case "number":
      return numberOption(flag);
    case "level":
      return levelOption(flag);
    case "date":
      return dateOption(flag);
    case "list":
      return collect;
    default:
      return undefined;
  }
}

function defaultText(value: unknown): string | undefined {
  if (value === undefined || value === false || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)) return undefined;
  return Array.isArray(value) ? value.join(",") : String(value);
}

function optionOf(spec: CommandSpec, flag: Flag): Option {
  const option = new Option(flag.flags, flag.description);
  const field = flag.field && spec.input ? fieldOf(spec.input, flag.field) : undefined;
  const parse = flag.parse ?? (field && option.required ? parserFor(field.kind, option.long!) : undefined);
  if (parse) option.argParser(parse);
  if (flag.required) option.makeOptionMandatory();
  // Said in the help only: the schema applies the default when the flag is absent.
  const shown = flag.defaultHelp ?? (field && !option.negate ? defaultText(field.default) : undefined);
  if (shown !== undefined) option.description = `${flag.description} (default: ${shown})`;
  return option;
}

function defineFromSpec(command: Command, spec: CommandSpec): void {
  const flags = spec.flags ?? [];
  const options = flags.map((flag) => optionOf(spec, flag));
  for (const option of options) command.addOption(option);
  command
    .option("--db <uri>", "store (default: $LEXI_DB, else .lexi/lexi.db)")
    .option("--create", "create the store if its file does not exist (init and seed always may)")
    .option("--json", "print machine-readable JSON");
  loaded.set(command, spec);
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
