/**
 * Declares every command and its flags. Each action loads its command module only when it runs.
 */
import type { Command } from "commander";
import type { ImportSummary } from "../services/import/import-records.js";
import type { Store } from "../store/store.js";
import { collect, dateOption, levelOption, numberOption, taskOption } from "./input.js";
import { warn } from "./output/warn.js";
import { globalOptions, printResult, runWithStore } from "./run-command.js";
import { withStore } from "./store-context.js";

export function registerCommands(program: Command): void {
  registerIntake(program);
  registerQueue(program);
  registerExport(program);
  registerInsights(program);
  registerServe(program);
  registerSchema(program);
}

function registerSchema(program: Command): void {
  program
    .command("schema <kind>")
    .description("the JSON Schema of an import line: interactions, feedback, progress, metrics (or template: the export --template file)")
    .action(async (kind: string, _options, command: Command) => {
      const { schemaCommand, renderSchema } = await import("./commands/schema.js");
      printResult(globalOptions(command), schemaCommand(kind), renderSchema);
    });
}

function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the HTTP API (the original's routes, OpenAPI docs at /docs); keys from LEXI_API_KEYS")
    .option("--host <host>", "address to listen on (without API keys only loopback is allowed)", "127.0.0.1")
    .option("--port <port>", "port", numberOption("--port"), 8000)
    .option("--body-limit <bytes>", "largest request body", numberOption("--body-limit"), 1_048_576)
    .option("--rate-limit <n>", "requests per minute per API key", numberOption("--rate-limit"), 1200)
    .option("--query-timeout <ms>", "MongoDB: longest a request's query may run before a 503", numberOption("--query-timeout"), 30_000)
    .action(async (options, command: Command) => {
      const { serveCommand } = await import("./commands/serve.js");
      const global = globalOptions(command);
      // The server owns the store until it stops, then closes it; withStore's close is then a no-op.
      await withStore(global, (store) => serveCommand(store, options), { queryTimeoutMs: options.queryTimeout });
    });
}

function registerInsights(program: Command): void {
  const progress = program.command("progress").description("learner progress snapshots");
  progress
    .command("snapshot")
    .description("save a learner's progress snapshot (the trend counts it)")
    .requiredOption("--user <id>", "the learner")
    .requiredOption("--level <cefr>", "A1 … C2 (any case)", levelOption("--level"))
    .requiredOption("--fluency <0..1>", "average fluency", numberOption("--fluency"))
    .requiredOption("--grammar-accuracy <0..1>", "grammar accuracy", numberOption("--grammar-accuracy"))
    .requiredOption("--vocabulary <n>", "vocabulary size", numberOption("--vocabulary"))
    .option("--pronunciation <0..1>", "average pronunciation score", numberOption("--pronunciation"))
    .option("--interactions <n>", "total interactions", numberOption("--interactions"))
    .option("--streak <days>", "study streak in days", numberOption("--streak"))
    .option("--date <date>", "the snapshot's own date: ISO 8601, today, yesterday or an age (2d); default now", dateOption("--date"))
    .action(async (options, command: Command) => {
      const { snapshotCommand, renderSnapshot } = await import("./commands/progress.js");
      await runWithStore(command, (store) => snapshotCommand(store, options), renderSnapshot);
    });
  addImportCommand(progress, "import snapshots from JSONL/NDJSON or a JSON array (- reads stdin), in file order", async () => (await import("./commands/progress.js")).importProgressCommand);
  progress
    .command("history <user>")
    .description("a learner's snapshots, oldest first, with a chart")
    .option("--days <n>", "window in days", numberOption("--days"), 30)
    .action(async (user: string, options, command: Command) => {
      const { historyCommand, renderHistory } = await import("./commands/progress.js");
      await runWithStore(command, (store) => historyCommand(store, user, options), renderHistory);
    });

  const patterns = program.command("patterns").description("recurring grammar errors");
  patterns
    .command("detect")
    .description("group the window's grammar errors by type and level, store them and show the top ones")
    .option("--days <n>", "window in days", numberOption("--days"), 7)
    .option("--min-frequency <n>", "least occurrences to count as a pattern", numberOption("--min-frequency"), 5)
    .action(async (options, command: Command) => {
      const { detectCommand, renderPatterns } = await import("./commands/patterns.js");
      await runWithStore(command, (store) => detectCommand(store, options), renderPatterns);
    });
  patterns
    .command("user <user>")
    .description("one learner's error types with counts and examples")
    .option("--days <n>", "window in days", numberOption("--days"), 30)
    .action(async (user: string, options, command: Command) => {
      const { userCommand, renderUserPatterns } = await import("./commands/patterns.js");
      await runWithStore(command, (store) => userCommand(store, user, options), renderUserPatterns);
    });

  program
    .command("analytics")
    .description("fluency, grammar, vocabulary or engagement, grouped by day, week, month or level")
    .requiredOption("--metric <metric>", "fluency, grammar, vocabulary or engagement")
    .option("--group-by <group>", "day, week (from Monday), month or level")
    .option("--user <id>", "only this learner")
    .option("--since <date>", "from this date or time: ISO 8601, today, yesterday, or an age (7d, 12h, 2w)", dateOption("--since"))
    .option("--until <date>", "up to this date or time: ISO 8601, today, yesterday, or an age (7d, 12h, 2w)", dateOption("--until"))
    .option("--tz <zone>", "time zone of the day/week/month groups", "UTC")
    .action(async (options, command: Command) => {
      const { analyticsCommand, renderAnalytics } = await import("./commands/analytics.js");
      await runWithStore(command, (store) => analyticsCommand(store, options), renderAnalytics);
    });

  const metrics = program.command("metrics").description("evaluation metrics per model version, and a CI gate");
  addImportCommand(metrics, "import evaluation entries from JSONL/NDJSON or a JSON array (- reads stdin), e.g. a mongoexport of model_metrics", async () => (await import("./commands/metrics.js")).importMetricsCommand);
  metrics
    .command("log <metrics...>")
    .description("log name=number metrics for a model version")
    .requiredOption("--model <name>", "model name")
    .requiredOption("--version <v>", "model version")
    .option("--meta <key=value>", "metadata (repeatable)", collect)
    .option("--export <export-id>", "the export this version was trained on")
    .option("--lower-is-better <names>", "metrics where lower is better (comma-separated, repeatable); compare uses this direction", collect)
    .option("--replace", "replace the entries already logged for this model and version")
    .action(async (pairs: string[], options, command: Command) => {
      const { logCommand, renderLogged, duplicateWarning } = await import("./commands/metrics.js");
      await runWithStore(command, async (store) => {
        const result = await logCommand(store, pairs, options);
        warn(duplicateWarning(result, options));
        return result;
      }, renderLogged);
    });
  metrics
    .command("history <model>")
    .description("logged metrics, newest first, one column per metric")
    .option("--limit <n>", "at most this many", numberOption("--limit"), 50)
    .action(async (model: string, options, command: Command) => {
      const { historyCommand, renderMetricsHistory } = await import("./commands/metrics.js");
      await runWithStore(command, (store) => historyCommand(store, model, options), renderMetricsHistory);
    });
  metrics
    .command("compare <model> <base-version> <candidate-version>")
    .description("compare two versions; with --fail-on-regression, exit 1 when a metric gets worse past the threshold")
    .option("--fail-on-regression <threshold>", "relative (2%) or absolute (0.02, abs:2) worsening that fails; a metric the candidate lacks fails too")
    .option("--allow-missing", "let the gate pass when the candidate lacks metrics the base has")
    .option("--lower-is-better <names>", "metrics where lower is better (comma-separated, repeatable), on top of those stored by metrics log", collect)
    .action(async (model: string, base: string, candidate: string, options, command: Command) => {
      const { compareCommand, renderComparison, checkGate } = await import("./commands/metrics.js");
      const global = globalOptions(command);
      const result = await withStore(global, (store) => compareCommand(store, model, base, candidate, options));
      printResult(global, result, renderComparison);
      checkGate(result, options);
    });
}

function registerExport(program: Command): void {
  program
    .command("export")
    .description("write a deduplicated, reproducible fine-tuning dataset (JSONL) with a manifest")
    .option("--task <name>", "only examples teaching this task (repeatable; any of them matches)", taskOption)
    .option("--min-quality <score>", "lowest quality score", numberOption("--min-quality"), 0.7)
    .option("--validated-only", "only examples a reviewer approved")
    .option("--since <date>", "learner turns from this date or time: ISO 8601, today, yesterday, or an age (7d, 12h, 2w)", dateOption("--since"))
    .option("--until <date>", "learner turns up to this date or time: ISO 8601, today, yesterday, or an age (7d, 12h, 2w)", dateOption("--until"))
    .option("--user <id>", "only this learner")
    .option("--level <cefr>", "only this CEFR level (any case)", levelOption("--level"))
    .option("--limit <n>", "at most this many records", numberOption("--limit"))
    .option("--include-used", "also export examples an earlier export marked as used")
    .option("--format <format>", "raw, openai, alpaca or sharegpt", "raw")
    .option("--no-dedup", "keep repeated learner texts")
    .option("--split <ratios>", "train,validation,test ratios, e.g. 0.9,0.05,0.05")
    .option("--split-by <unit>", "keep each user (default) or each example in one split", "user")
    .option("--seed <n>", "seed of the split assignment", numberOption("--seed"), 0)
    .option("--out <path>", "the dataset's folder (default: a new exports/<export-id>/, linked by exports/latest), or - for standard output")
    .option("--force", "replace the export an --out folder already holds, whole")
    .option("--allow-empty-splits", "write a split that gets no learner instead of refusing")
    .option("--mark-used", "mark the exported examples as used in training, once the files are complete")
    .option("--template <file>", "JSON of per-task prompts and target fields: {\"grammar\": {\"system\": \"…\", \"fields\": [\"grammar_errors\"]}}")
    .option("--clean-share <0..0.9>", "this share of the grammar records are clean examples: fluent, error-free, well-rated interactions (openai, alpaca, sharegpt; picked by --seed)", numberOption("--clean-share"), 0)
    .action(async (options, command: Command) => {
      const { exportCommand, renderExport } = await import("./commands/export.js");
      const global = globalOptions(command);
      const result = await withStore(global, (store) => exportCommand(store, { ...options, json: global.json }));
      // With --out -, standard output carries only data: the summary goes to stderr.
      const stream = options.out === "-" ? process.stderr : process.stdout;
      stream.write(`${global.json ? JSON.stringify(result, null, 2) : renderExport(result)}\n`);
    });

  const exportsGroup = program.command("exports").description("past exports and the files they wrote");
  exportsGroup
    .command("list")
    .description("exports, newest first")
    .option("--limit <n>", "at most this many", numberOption("--limit"), 50)
    .action(async (options, command: Command) => {
      const { listExportsCommand, renderExports } = await import("./commands/export.js");
      await runWithStore(command, (store) => listExportsCommand(store, options), renderExports);
    });
  exportsGroup
    .command("show <id>")
    .description("one export: filters, files, checksums and how many examples it marked as used")
    .action(async (id: string, _options, command: Command) => {
      const { showExportCommand, renderExportDetails } = await import("./commands/export.js");
      await runWithStore(command, (store) => showExportCommand(store, id), renderExportDetails);
    });
  exportsGroup
    .command("verify <id-or-folder>")
    .description("recompute the checksums of an export's files and compare them with its manifest and record (exit 4 on a mismatch)")
    .action(async (target: string, _options, command: Command) => {
      const { verifyExportCommand, renderVerification, failOnMismatch } = await import("./commands/export.js");
      let result: Awaited<ReturnType<typeof verifyExportCommand>> | undefined;
      await runWithStore(command, async (store) => (result = await verifyExportCommand(store, target)), renderVerification);
      failOnMismatch(result!);
    });
}

type ImportRunner = (store: Store, file: string, options: { skipInvalid?: boolean; rejected?: string; resume?: boolean; strict?: boolean; json?: boolean }) => Promise<ImportSummary>;

/** `<group> import <file|->`, the same flags for every kind of record. */
function addImportCommand(parent: Command, description: string, load: () => Promise<ImportRunner>): void {
  parent
    .command("import <file>")
    .description(description)
    .option("--skip-invalid", "write the valid records and save the rejected ones with their reasons")
    .option("--rejected <file>", "where --skip-invalid saves rejected records (default: <file>.rejected.jsonl)")
    .option("--resume", "commit batch by batch; after an interrupt, the same command with --resume continues where it stopped")
    .option("--strict", "refuse the import (nothing written) when a record has a field its format does not know; by default such fields are kept and listed")
    .action(async (file: string, options, command: Command) => {
      const run = await load();
      const { renderImport } = await import("./output/import-summary.js");
      await runWithStore(command, (store, global) => run(store, file, { ...options, json: global.json }), renderImport);
    });
}

/** The queue filters shared by `queue list` and `review`. */
function withQueueFilters(command: Command, defaultLimit: number): Command {
  return command
    .option("--task <name>", "only examples with this task (repeatable)", taskOption)
    .option("--min-quality <score>", "lowest quality score", numberOption("--min-quality"), 0.7)
    .option("--validated-only", "only approved examples")
    .option("--limit <n>", "at most this many", numberOption("--limit"), defaultLimit);
}

function queueFilterFrom(options: { task?: string[]; status?: string; validatedOnly?: boolean; minQuality?: number; limit?: number }) {
  return {
    task_types: options.task ?? [],
    status: options.status as "pending" | undefined,
    validated_only: Boolean(options.validatedOnly),
    min_quality_score: options.minQuality,
    limit: options.limit,
  };
}

function registerQueue(program: Command): void {
  const queue = program.command("queue").description("curate training examples");
  queue
    .command("add <interaction-id>")
    .description("queue an interaction as a training example (once per interaction)")
    .requiredOption("--task <name>", "a task it teaches: grammar, fluency, vocabulary, tutor_response… (repeatable)", taskOption)
    .option("--quality <score>", "quality score from 0 to 1", numberOption("--quality"), 1)
    .option("--notes <text>", "why it is a good example")
    .action(async (id: string, options, command: Command) => {
      const { addToQueueCommand, renderAdded } = await import("./commands/queue.js");
      await runWithStore(command, (store) => addToQueueCommand(store, id, options), renderAdded);
    });
  withQueueFilters(queue.command("list").description("training examples, best quality first, then oldest"), 100)
    .option("--status <status>", "pending, approved, rejected or flagged")
    .action(async (options, command: Command) => {
      const { listQueueCommand, renderQueue } = await import("./commands/queue.js");
      await runWithStore(command, (store) => listQueueCommand(store, queueFilterFrom(options)), renderQueue);
    });
  queue
    .command("show <id>")
    .description("one training example with its history of decisions")
    .action(async (id: string, _options, command: Command) => {
      const { showQueueItemCommand, renderQueueItem } = await import("./commands/queue.js");
      await runWithStore(command, (store) => showQueueItemCommand(store, id), renderQueueItem);
    });
  queue
    .command("validate <id>")
    .description("approve or reject an example (a later decision by the same reviewer replaces theirs)")
    .option("--approve", "approve it (clears a flag; then --notes is required)")
    .option("--reject", "reject it (never exported)")
    .requiredOption("--by <name>", "who decides")
    .option("--notes <text>", "why")
    .option("--require-approvals <n>", "approvals from different reviewers needed", numberOption("--require-approvals"), 1)
    .action(async (id: string, options, command: Command) => {
      const { validateCommand, renderValidation } = await import("./commands/queue.js");
      await runWithStore(command, (store) => validateCommand(store, id, options), renderValidation);
    });
  queue
    .command("correct <id>")
    .description("correct an example's target (grammar errors, tutor response, vocabulary suggestions); counts as your approval")
    .requiredOption("--by <name>", "who corrects")
    .requiredOption("--file <path>", "the corrected target as JSON or YAML (- reads standard input); see docs/corrections.md")
    .option("--notes <text>", "why (needed when the example is flagged)")
    .option("--require-approvals <n>", "approvals from different reviewers needed", numberOption("--require-approvals"), 1)
    .action(async (id: string, options, command: Command) => {
      const { correctCommand, renderValidation } = await import("./commands/queue.js");
      await runWithStore(command, (store) => correctCommand(store, id, options), renderValidation);
    });
  queue
    .command("conflicts")
    .description("examples where reviewers disagree")
    .option("--limit <n>", "at most this many", numberOption("--limit"), 100)
    .action(async (options, command: Command) => {
      const { conflictsCommand, renderConflicts } = await import("./commands/queue.js");
      await runWithStore(command, (store) => conflictsCommand(store, options), renderConflicts);
    });

  withQueueFilters(program.command("review").description("review pending examples in the terminal, one key per decision"), 100)
    .option("--status <status>", "review pending (default) or flagged examples", "pending")
    .option("--by <name>", "reviewer name (default: git user.name, else $USER)")
    .option("--require-approvals <n>", "approvals from different reviewers needed", numberOption("--require-approvals"), 1)
    .action(async (options, command: Command) => {
      const { reviewCommand, renderReviewSummary } = await import("./commands/review.js");
      await runWithStore(
        command,
        (store) => reviewCommand(store, { by: options.by, filter: queueFilterFrom(options), requireApprovals: options.requireApprovals }),
        renderReviewSummary,
      );
    });
}

function registerIntake(program: Command): void {
  const interactions = program.command("interactions").description("log, import and inspect tutor interactions");
  addImportCommand(interactions, "import interactions from JSONL/NDJSON or a JSON array (- reads stdin); auto-queue applies", async () => (await import("./commands/interactions.js")).importInteractionsCommand);
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
  addImportCommand(feedback, "import feedback from JSONL/NDJSON or a JSON array (- reads stdin)", async () => (await import("./commands/feedback.js")).importFeedbackCommand);
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
      await runWithStore(command, (store, global) => seedCommand(store, { ...options, json: global.json }), renderSeed, { create: true });
    });
}
