/**
 * The `lexi` command line. Command modules load only when their command runs, so `lexi --help`
 * starts without touching the store, mingo or the MongoDB driver.
 */
import { Command, CommanderError } from "commander";
import { LexiError } from "../errors.js";
import { fromSystemError } from "../services/files/system-errors.js";
import { maskSecrets } from "../store/location.js";
import { LEXI_VERSION } from "../version.js";
import { EXIT_CODES } from "./exit-codes.js";
import { flagNamer } from "./flag-names.js";
import { registerCommands, specOf } from "./register-commands.js";

export function buildProgram(): Command {
  const program = new Command("lexi")
    .description("Turn real learner interactions with a language tutor into clean fine-tuning data.")
    .version(LEXI_VERSION)
    .option("--db <uri>", "store: mongodb://… or mongodb+srv://…, a SQLite path or sqlite:PATH (default: $LEXI_DB, else .lexi/lexi.db)")
    .option("--json", "print machine-readable JSON instead of tables")
    .showHelpAfterError()
    .exitOverride();
  // Root options are read only before the command, so a command may have its own --version
  // (`lexi metrics log --version v2`); --db and --json are declared on every command instead.
  program.enablePositionalOptions();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code; nothing below here calls `process.exit`. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  let running: Command | undefined;
  program.hook("preAction", (_program, action) => {
    running = action;
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, running);
  }
}

/** Prints one line; input errors name the flags of the command that ran, not the library's fields. */
function reportError(error: unknown, running: Command | undefined): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help / version).
    return error.exitCode === 0 ? 0 : EXIT_CODES.usage;
  }
  // Operating-system conditions (a missing file, a full disk, a port in use) are the user's to fix.
  const known = error instanceof LexiError ? error : fromSystemError(error);
  if (known) {
    const spec = running && specOf(running);
    const message = spec ? known.phrase(flagNamer(spec)) : known.message;
    process.stderr.write(`lexi: ${maskSecrets(message)}\n`);
    return EXIT_CODES[known.code];
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`lexi: unexpected error: ${maskSecrets(message)}\n`);
  if (process.env.LEXI_DEBUG && error instanceof Error) process.stderr.write(`${maskSecrets(error.stack ?? "")}\n`);
  return EXIT_CODES.unexpected;
}
