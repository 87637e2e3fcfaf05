import type { Command } from "commander";

/** Registers the commands of each capability beyond init and status. */
export function registerCommands(_program: Command): void {}
