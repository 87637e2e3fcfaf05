/**
 * The `lexi` command line. Command modules load only when their command runs, so `lexi --help`
 * starts without touching the store, mingo or the MongoDB driver.
 */
import { Command } from "commander";
import { LEXI_VERSION } from "../version.js";
import { flagNamer } from "./flag-names.js";
import { registerCommands, specOf } from "./register-commands.js";
import { isClosedPipe, reportError, wantsJson } from "./report-error.js";

export function buildProgram(options: { json?: boolean } = {}): Command {
  const program = new Command("lexi")
    .description("Turn real learner interactions with a language tutor into clean fine-tuning data.")
    .version(LEXI_VERSION)
    .option("--db <uri>", "store: mongodb://… or mongodb+srv://…, a SQLite path or sqlite:PATH (default: $LEXI_DB, else .lexi/lexi.db)")
    .option("--json", "print machine-readable JSON instead of tables")
    .exitOverride();
  // Under --json a usage mistake is reported as JSON too (by reportError), not as text and help.
  if (options.json) program.configureOutput({ outputError: () => undefined });
  else program.showHelpAfterError();
  // Root options are read only before the command, so a command may have its own --version
  // (`lexi metrics log --version v2`); --db and --json are declared on every command instead.
  program.enablePositionalOptions();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code; nothing below here calls `process.exit`. */
export async function main(argv: string[]): Promise<number> {
  const json = wantsJson(argv.slice(2));
  const program = buildProgram({ json });
  let running: Command | undefined;
  program.hook("preAction", (_program, action) => {
    running = action;
  });
  // A reader that stops early (`lexi export --out - | head -2`) closes the pipe: the rest of the
  // output has nowhere to go, and that is no failure.
  let pipeClosed = false;
  process.stdout.on("error", (error) => {
    if (!isClosedPipe(error)) throw error;
    pipeClosed = true;
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    // Only standard output's own pipe: an EPIPE from the store's connection is a real failure.
    if (pipeClosed || (isClosedPipe(error) && process.stdout.destroyed)) return 0;
    const spec = running && specOf(running);
    return reportError(error, { json, name: spec ? flagNamer(spec) : (field) => field });
  }
}
