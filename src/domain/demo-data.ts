/**
 * Deterministic demo data: learners of every CEFR level, their sessions and tutor turns with
 * realistic grammar errors, feedback (some of it poor), progress snapshots and model metrics.
 */
import { CEFR_LEVELS, type CefrLevel } from "../schema/common.js";
import type { FeedbackInput } from "../schema/feedback.js";
import type { InteractionInput } from "../schema/interaction.js";
import type { MetricsInput } from "../schema/metrics.js";
import type { ProgressInput } from "../schema/progress.js";
import { cefrRank } from "./cefr.js";
import { sentenceFor } from "./demo-sentences.js";
import { SeededRandom } from "./random.js";

const ISSUES = ["wrong_correction", "too_long", "off_topic", "translation_wrong"];

export interface DemoOptions {
  users: number;
  interactions: number;
  days: number;
  seed: number;
  now: Date;
}

export interface DemoData {
  interactions: InteractionInput[];
  /** Feedback, each for the interaction at `index` in `interactions`. */
  feedback: Array<{ index: number; feedback: Omit<FeedbackInput, "interaction_id"> }>;
  progress: ProgressInput[];
  metrics: MetricsInput[];
}

function idOf(prefix: string, n: number, width = 4): string {
  return `${prefix}-${String(n).padStart(width, "0")}`;
}

export function generateDemoData(options: DemoOptions): DemoData {
  const random = new SeededRandom(options.seed);
  const learners = Array.from({ length: options.users }, (_, i) => ({
    id: idOf("learner", i + 1),
    level: CEFR_LEVELS[i % CEFR_LEVELS.length]!,
  }));
  const start = options.now.getTime() - options.days * 86_400_000;
  const interactions: InteractionInput[] = [];
  const feedback: DemoData["feedback"] = [];
  const times = Array.from({ length: options.interactions }, () => start + Math.floor(random.next() * options.days * 86_400_000)).sort((a, b) => a - b);
  times.forEach((time, index) => {
    const learner = random.pick(learners);
    const rank = cefrRank(learner.level);
    const sample = sentenceFor(learner.level, random, 0.35 + rank * 0.08);
    const fluency = random.around(0.35 + rank * 0.1 + (sample.errors.length === 0 ? 0.1 : 0), 0.12);
    const session = `${learner.id}-s${Math.floor((time - start) / (3 * 3_600_000))}`;
    interactions.push({
      session_id: session,
      user_id: learner.id,
      timestamp: new Date(time).toISOString(),
      user_input: { text: sample.text, context: [] },
      models_used: ["qwen-unified", random.chance(0.3) ? "whisper-small" : "grammar-checker"],
      processing_time_ms: { "qwen-unified": random.int(180, 900) },
      analysis: {
        fluency_score: fluency,
        // The learner's level, or one step either side of it: a C2 learner never writes A1 words.
        vocabulary_level: CEFR_LEVELS[Math.min(CEFR_LEVELS.length - 1, Math.max(0, rank + random.pick([0, 0, 0, 0, -1, 1])))]!,
        grammar_errors: sample.errors,
        tutor_response: sample.response,
      },
    });
    if (!random.chance(0.4)) return;
    const poor = random.chance(0.15);
    feedback.push({
      index,
      feedback: {
        user_id: learner.id,
        rating: poor ? random.int(1, 2) : random.int(3, 5),
        helpful: !poor || random.chance(0.3),
        accurate: poor ? random.chance(0.4) : random.chance(0.95),
        reported_issues: poor && random.chance(0.5) ? [random.pick(ISSUES)] : [],
        ...(random.chance(0.3) ? { feedback_text: poor ? "The correction did not make sense to me." : "Clear explanation, thanks!" } : {}),
        timestamp: new Date(Math.min(time + 60_000, options.now.getTime())).toISOString(),
      },
    });
  });
  return { interactions, feedback, progress: progressFor(learners, options, random), metrics: metricsFor(options) };
}

function progressFor(learners: Array<{ id: string; level: CefrLevel }>, options: DemoOptions, random: SeededRandom): ProgressInput[] {
  const snapshots: ProgressInput[] = [];
  const weeks = Math.max(1, Math.floor(options.days / 7));
  for (const learner of learners) {
    const rank = cefrRank(learner.level);
    const direction = random.pick([1, 1, 0, -1]);
    for (let week = 0; week <= weeks; week++) {
      const date = new Date(options.now.getTime() - (weeks - week) * 7 * 86_400_000);
      snapshots.push({
        user_id: learner.id,
        snapshot_date: date.toISOString(),
        level: learner.level,
        fluency_score_avg: random.around(0.4 + rank * 0.08 + direction * week * 0.04, 0.03),
        grammar_accuracy: random.around(0.55 + rank * 0.07 + direction * week * 0.02, 0.04),
        vocabulary_count: 400 + rank * 900 + week * random.int(10, 60),
        total_interactions: week * random.int(5, 20),
        study_streak_days: random.int(0, 7 * (week + 1)),
        common_errors: [{ type: random.pick(["verb_tense", "article", "preposition"]), count: random.int(1, 12) }],
      });
    }
  }
  return snapshots;
}

function metricsFor(options: DemoOptions): MetricsInput[] {
  const versions: Array<[string, Record<string, number>]> = [
    ["v1.1.0", { grammar_f1: 0.71, fluency_mae: 0.14, bleu: 0.38 }],
    ["v1.2.0", { grammar_f1: 0.76, fluency_mae: 0.12, bleu: 0.41 }],
    ["v1.3.0", { grammar_f1: 0.79, fluency_mae: 0.11, bleu: 0.4 }],
  ];
  return versions.map(([version, metrics], i) => ({
    model_name: "qwen-unified",
    version,
    metrics,
    metadata: { lora_rank: 16, epochs: 3 },
    lower_is_better: ["fluency_mae"],
    timestamp: new Date(options.now.getTime() - (versions.length - i) * 7 * 86_400_000),
  }));
}
