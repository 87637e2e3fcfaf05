/**
 * Errors from the services name the library's input fields (`validated_by`, `min_quality_score`);
 * on the command line the user typed flags (`--by`, `--min-quality`). This names each field as the
 * flag or argument of the command that ran, and leaves fields the command has no flag for as they
 * are (a field of an imported file stays the file's field).
 */
import type { Command } from "commander";
import type { FieldNamer } from "../errors.js";

/** Library fields whose flag is not simply the field in kebab case. */
const FLAG_OF_FIELD: Record<string, string> = {
  user_id: "--user",
  session_id: "--session",
  interaction_id: "--interaction",
  validated_by: "--by",
  feedback_text: "--text",
  reported_issues: "--issue",
  task_types: "--task",
  quality_score: "--quality",
  min_quality_score: "--min-quality",
  start_date: "--since",
  end_date: "--until",
  model_name: "--model",
  export_id: "--export",
  metadata: "--meta",
  fluency_score_avg: "--fluency",
  vocabulary_count: "--vocabulary",
  pronunciation_score_avg: "--pronunciation",
  total_interactions: "--interactions",
  study_streak_days: "--streak",
  snapshot_date: "--date",
};

/**
 * @example
 * flagNamer(queueValidate)("validated_by") // "--by"
 * flagNamer(queueAdd)("interaction_id")    // "<interaction-id>"
 */
export function flagNamer(command: Command): FieldNamer {
  const flags = new Set(command.options.map((option) => option.long));
  const args = new Set(command.registeredArguments.map((argument) => argument.name()));
  return (field) => {
    const kebab = field.replaceAll("_", "-");
    const flag = FLAG_OF_FIELD[field] ?? `--${kebab}`;
    if (flags.has(flag)) return flag;
    if (args.has(kebab)) return `<${kebab}>`;
    return field;
  };
}
