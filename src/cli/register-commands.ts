/**
 * Declares every command and its flags. Each action loads its command module only when it runs.
 */
import type { Command } from "commander";
import { collect, numberOption } from "./input.js";
import { runWithStore } from "./run-command.js";

export function registerCommands(program: Command): void {
  registerIntake(program);
}

function registerIntake(program: Command): void {
  const interactions = program.command("interactions").description("log, import and inspect tutor interactions");
  interactions
    .command("import <file>")
    .description("import interactions from JSONL/NDJSON or a JSON array (- reads stdin); auto-queue applies")
    .option("--skip-invalid", "write the valid records and save the rejected ones with their reasons")
    .option("--rejected <file>", "where --skip-invalid saves rejected records (default: <file>.rejected.jsonl)")
    .action(async (file: string, options, command: Command) => {
      const { importInteractionsCommand, renderImport } = await import("./commands/interactions.js");
      await runWithStore(command, (store, global) => importInteractionsCommand(store, file, { ...options, json: global.json }), renderImport);
    });
  interactions
    .command("list")
    .description("list interactions, newest first")
    .option("--user <id>", "only this learner")
    .option("--session <id>", "only this session")
    .option("--flagged", "only interactions flagged for review")
    .option("--limit <n>", "at most this many", numberOption("--limit"), 50)
    .action(async (options, command: Command) => {
      const { listInteractionsCommand, renderInteractions } = await import("./commands/interactions.js");
      await runWithStore(
        command,
        (store) => listInteractionsCommand(store, { user_id: options.user, session_id: options.session, flagged: options.flagged, limit: options.limit }),
        renderInteractions,
      );
    });
  interactions
    .command("show <id>")
    .description("show one interaction in full")
    .action(async (id: string, _options, command: Command) => {
      const { showInteractionCommand, renderInteraction } = await import("./commands/interactions.js");
      await runWithStore(command, (store) => showInteractionCommand(store, id), renderInteraction);
    });

  const feedback = program.command("feedback").description("record and summarize learner feedback");
  feedback
    .command("add")
    .description("record one learner's verdict on an interaction (a repeat replaces it)")
    .requiredOption("--interaction <id>", "the interaction")
    .requiredOption("--user <id>", "the learner giving feedback")
    .requiredOption("--rating <1-5>", "stars, a whole number from 1 to 5", numberOption("--rating"))
    .option("--helpful", "the answer helped")
    .option("--no-helpful", "the answer did not help")
    .option("--accurate", "the answer was correct")
    .option("--no-accurate", "the answer was wrong (flags the interaction)")
    .option("--text <text>", "the learner's comment")
    .option("--issue <name>", "a reported issue (repeatable; flags the interaction)", collect)
    .action(async (options, command: Command) => {
      const { addFeedbackCommand, renderFeedbackResult } = await import("./commands/feedback.js");
      await runWithStore(command, (store) => addFeedbackCommand(store, options), renderFeedbackResult);
    });
  feedback
    .command("import <file>")
    .description("import feedback from JSONL/NDJSON or a JSON array (- reads stdin)")
    .option("--skip-invalid", "write the valid records and save the rejected ones with their reasons")
    .option("--rejected <file>", "where --skip-invalid saves rejected records")
    .action(async (file: string, options, command: Command) => {
      const { importFeedbackCommand } = await import("./commands/feedback.js");
      const { renderImport } = await import("./commands/interactions.js");
      await runWithStore(command, (store, global) => importFeedbackCommand(store, file, { ...options, json: global.json }), renderImport);
    });
  feedback
    .command("stats")
    .description("average rating, helpful and accurate shares, rating distribution")
    .option("--user <id>", "only this learner")
    .option("--days <n>", "window in days", numberOption("--days"), 30)
    .action(async (options, command: Command) => {
      const { feedbackStatsCommand, renderFeedbackStats } = await import("./commands/feedback.js");
      await runWithStore(command, (store) => feedbackStatsCommand(store, options), renderFeedbackStats);
    });

  program
    .command("seed")
    .description("write realistic, deterministic demo data through the same rules as real data")
    .option("--users <n>", "learners", numberOption("--users"), 24)
    .option("--interactions <n>", "tutor turns", numberOption("--interactions"), 600)
    .option("--days <n>", "spread over this many days", numberOption("--days"), 30)
    .option("--seed <n>", "random seed (same seed, same data)", numberOption("--seed"), 42)
    .action(async (options, command: Command) => {
      const { seedCommand, renderSeed } = await import("./commands/seed.js");
      await runWithStore(command, (store, global) => seedCommand(store, { ...options, json: global.json }), renderSeed);
    });
}
