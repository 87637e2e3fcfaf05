/**
 * Turns the catalog into commander commands. A command's spec module, and the code that turns a
 * spec into options (with zod and the input parsers), load only when that command is about to
 * run (or show its own help), so `lexi --help` loads none of them.
 */
import type { Command } from "commander";
import { CATALOG, GROUPS } from "./commands/catalog.js";
import type { CommandSpec } from "./spec.js";

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
    const [spec, { defineFromSpec }] = await Promise.all([entry.load(), import("./command-from-spec.js")]);
    await defineFromSpec(command, spec);
    loaded.set(command, spec);
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
