/**
 * The glue every command shares: open the store, run the command's function, print its result
 * as JSON (`--json`) or as text for people.
 */
import type { Command } from "commander";
import type { Store } from "../store/store.js";
import { withStore, type GlobalOptions } from "./store-context.js";

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function printResult<T>(options: GlobalOptions, result: T, render: (result: T) => string): void {
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${render(result)}\n`);
}

/** Runs `work` against the command's store and prints what it returns. */
export async function runWithStore<T>(
  command: Command,
  work: (store: Store, options: GlobalOptions) => Promise<T>,
  render: (result: T) => string,
  /** `{ create: true }` for the commands that may make a new store (init, seed). */
  defaults: Partial<GlobalOptions> = {},
): Promise<void> {
  const options = { ...defaults, ...globalOptions(command) };
  const result = await withStore(options, (store) => work(store, options));
  printResult(options, result, render);
}
