/**
 * The queue filters `queue list` and `review` share, each filling a field of QueueFilterInput.
 */
import type { QueueFilterInput } from "../../schema/queue.js";
import { taskOption } from "../input.js";
import type { Flag } from "../spec.js";

export const QUEUE_FILTER_FLAGS: Array<Flag<keyof QueueFilterInput & string>> = [
  { flags: "--task <name>", description: "only examples with this task (repeatable)", field: "task_types", parse: taskOption },
  { flags: "--level <cefr>", description: "only examples of this CEFR level, A1 … C2 (any case)", field: "level" },
  { flags: "--min-quality <score>", description: "lowest quality score", field: "min_quality_score" },
  { flags: "--validated-only", description: "only approved examples", field: "validated_only" },
  { flags: "--limit <n>", description: "at most this many", field: "limit" },
];
