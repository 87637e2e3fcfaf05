/**
 * Deterministic demo data: learners of every CEFR level, their sessions and tutor turns with
 * realistic grammar errors, feedback (some of it poor), progress snapshots and model metrics.
 */
import { CEFR_LEVELS, type CefrLevel } from "../schema/common.js";
import type { FeedbackInput } from "../schema/feedback.js";
import type { GrammarError, InteractionInput } from "../schema/interaction.js";
import type { MetricsInput } from "../schema/metrics.js";
import type { ProgressInput } from "../schema/progress.js";
import { cefrRank } from "./cefr.js";
import { SeededRandom } from "./random.js";

interface Sample {
  text: string;
  errors: GrammarError[];
  response: string;
}

const err = (type: string, error: string, correction: string, explanation: string): GrammarError => ({ type, error, correction, explanation });

const PLACES = ["school", "work", "the park", "the library", "the gym", "the beach", "my aunt's house", "the cinema", "the market", "the museum"];
const PEOPLE = ["She", "He", "My sister", "My brother", "Our teacher", "My friend Lan", "The manager", "My neighbour"];
const FOODS = ["apple", "orange", "egg", "onion", "avocado", "umbrella", "idea"];
const TIMES = ["yesterday", "last night", "last week", "on Monday", "two days ago", "this morning"];
const YEARS = ["two", "three", "five", "ten"];

type Template = (r: SeededRandom) => Sample;

/**
 * Learner turns with the grammar errors a tutor reports (verb tense, article, preposition, subject–verb
 * agreement, word order, spelling, other); slots give many distinct sentences.
 */
const WITH_ERRORS: Template[] = [
  (r) => {
    const place = r.pick(PLACES);
    const time = r.pick(TIMES);
    return { text: `I go to ${place} ${time}.`, errors: [err("verb_tense", "go", "went", "Use the past simple for finished past actions.")], response: `Nice try! Since it was ${time}, say: I went to ${place} ${time}.` };
  },
  (r) => {
    const who = r.pick(PEOPLE);
    const thing = r.pick(["coffee", "spicy food", "horror films", "early mornings", "football"]);
    return { text: `${who} don't like ${thing}.`, errors: [err("subject_verb_agreement", "don't", "doesn't", "Third person singular takes 'doesn't'.")], response: `Almost! With ${who.toLowerCase()}, we say: ${who} doesn't like ${thing}.` };
  },
  (r) => {
    const food = r.pick(FOODS);
    return { text: `I bought a ${food} at market.`, errors: [err("article", `a ${food}`, `an ${food}`, "Use 'an' before a vowel sound."), err("article", "at market", "at the market", "A specific place needs 'the'.")], response: `Good sentence! Say: I bought an ${food} at the market.` };
  },
  (r) => {
    const place = r.pick(["the airport", "the station", "the hotel", "the office", "the party"]);
    return { text: `We arrived to ${place} late.`, errors: [err("preposition", "arrived to", "arrived at", "We arrive at places, not to them.")], response: `Great! Just one small fix: We arrived at ${place} late.` };
  },
  (r) => {
    const habit = r.pick(["drink tea in the morning", "walk to work", "read before bed", "call my mother on Sundays"]);
    const adverb = r.pick(["Always", "Usually", "Often", "Never"]);
    return { text: `${adverb} I ${habit}.`, errors: [err("word_order", `${adverb} I ${habit.split(" ")[0]}`, `I ${adverb.toLowerCase()} ${habit.split(" ")[0]}`, "Frequency adverbs go before the main verb.")], response: `Well done! The natural order is: I ${adverb.toLowerCase()} ${habit}.` };
  },
  (r) => {
    const who = r.pick(PEOPLE);
    return { text: `${who} recieved a letter from a freind.`, errors: [err("spelling", "recieved", "received", "i before e, except after c."), err("spelling", "freind", "friend", "The spelling is f-r-i-e-n-d.")], response: `Good! Watch the spelling: ${who} received a letter from a friend.` };
  },
  (r) => {
    const game = r.pick(["football", "tennis", "chess", "basketball"]);
    const weather = r.pick(["raining", "snowing", "getting dark"]);
    return { text: `They was playing ${game} when it start ${weather}.`, errors: [err("subject_verb_agreement", "They was", "They were", "Plural subjects take 'were'."), err("verb_tense", "start", "started", "Use the past simple for the interrupting action.")], response: `Nearly there: They were playing ${game} when it started ${weather}.` };
  },
  (r) => {
    const action = r.pick(["call you", "send the report", "visit you", "fix it"]);
    return { text: `If I will have time, I ${action}.`, errors: [err("verb_tense", "will have", "have", "First conditional: present simple after 'if'."), err("verb_tense", `I ${action.split(" ")[0]}`, `I'll ${action.split(" ")[0]}`, "Use 'will' in the result clause.")], response: `Good idea! In English we say: If I have time, I'll ${action}.` };
  },
  (r) => {
    const topic = r.pick(["your opinion", "this plan", "the new rule", "what you said"]);
    return { text: `I am agree with ${topic}.`, errors: [err("other", "am agree", "agree", "'Agree' is a verb; it needs no 'am'.")], response: `I see what you mean! Just say: I agree with ${topic}.` };
  },
  (r) => {
    const who = r.pick(PEOPLE);
    const years = r.pick(YEARS);
    return { text: `${who} has lived here since ${years} years.`, errors: [err("preposition", `since ${years} years`, `for ${years} years`, "Use 'for' with a length of time.")], response: `Great use of the present perfect! Say: ${who} has lived here for ${years} years.` };
  },
  (r) => {
    const place = r.pick(PLACES);
    return {
      text: `Me and my brother goes to ${place} every days.`,
      errors: [err("subject_verb_agreement", "goes", "go", "Two people take 'go'."), err("other", "Me and my brother", "My brother and I", "Use the subject pronoun 'I'."), err("spelling", "every days", "every day", "'Every' takes a singular noun."), err("word_order", "goes to", "go to", "Keep the verb after the subject.")],
      response: `Good effort! Try: My brother and I go to ${place} every day.`,
    };
  },
];

const FLUENT: Template[] = [
  (r) => ({ text: `Last weekend I visited ${r.pick(["my grandparents", "an old friend", "my cousins"])} and we cooked a big dinner together.`, errors: [], response: "That sounds lovely! What did you cook?" }),
  (r) => ({ text: `I'm thinking about changing jobs because I'd like ${r.pick(["a better work-life balance", "more responsibility", "to work closer to home"])}.`, errors: [], response: "That's a thoughtful reason. What kind of job are you looking for?" }),
  (r) => ({ text: `Although the ${r.pick(["film", "book", "lecture"])} was long, it kept me interested until the very end.`, errors: [], response: "Great use of 'although'! What was it about?" }),
  (r) => ({ text: `Could you recommend a good ${r.pick(["book", "podcast", "series"])} for improving my vocabulary?`, errors: [], response: "Sure! Graded material is a great start. What topics do you enjoy?" }),
  (r) => ({ text: `Honestly, the ramifications of that ${r.pick(["decision", "policy", "merger"])} were far more profound than anyone anticipated.`, errors: [], response: "Excellent vocabulary: 'ramifications' and 'profound' fit perfectly here." }),
];

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
    const sample = (random.chance(0.35 + rank * 0.08) ? random.pick(FLUENT) : random.pick(WITH_ERRORS))(random);
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
        vocabulary_level: random.chance(0.8) ? learner.level : random.pick(CEFR_LEVELS),
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
    timestamp: new Date(options.now.getTime() - (versions.length - i) * 7 * 86_400_000),
  }));
}
