/**
 * Preference data in the conversational form of TRL's dataset types, so DPO and KTO trainers load
 * the lines as they are:
 * - preference (DPO): `prompt`, `chosen`, `rejected`, each a list of `{role, content}` messages;
 *   the prompt ends with the user's turn, `chosen` and `rejected` hold one assistant message each.
 * - unpaired preference (KTO): `prompt`, `completion` (one assistant message) and a boolean `label`.
 *
 * LLaMA-Factory reads chosen/rejected as single message objects and a KTO conversation as one
 * message list, so each line also carries those views (`chosen_message`, `rejected_message`;
 * `messages`), named by the dataset_info.json entry lexi writes beside the files.
 *
 * @example
 * dpoRecord({ system: "Correct the sentence.", user: "He go home." }, "He goes home.", "He go home.")
 */
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface PromptParts {
  system: string;
  user: string;
}

export interface DpoRecord {
  prompt: ChatTurn[];
  chosen: ChatTurn[];
  rejected: ChatTurn[];
  chosen_message: ChatTurn;
  rejected_message: ChatTurn;
}

export interface KtoRecord {
  prompt: ChatTurn[];
  completion: ChatTurn[];
  label: boolean;
  messages: ChatTurn[];
}

function promptTurns(prompt: PromptParts): ChatTurn[] {
  return [
    { role: "system", content: prompt.system },
    { role: "user", content: prompt.user },
  ];
}

export function dpoRecord(prompt: PromptParts, chosen: string, rejected: string): DpoRecord {
  const chosenMessage: ChatTurn = { role: "assistant", content: chosen };
  const rejectedMessage: ChatTurn = { role: "assistant", content: rejected };
  return { prompt: promptTurns(prompt), chosen: [chosenMessage], rejected: [rejectedMessage], chosen_message: chosenMessage, rejected_message: rejectedMessage };
}

export function ktoRecord(prompt: PromptParts, completion: string, desirable: boolean): KtoRecord {
  const turns = promptTurns(prompt);
  const answer: ChatTurn = { role: "assistant", content: completion };
  return { prompt: turns, completion: [answer], label: desirable, messages: [...turns, answer] };
}

const ROLES = new Set(["system", "user", "assistant"]);

function turnsProblem(turns: unknown, column: string): string | undefined {
  if (!Array.isArray(turns) || turns.length === 0) return `${column} must be a non-empty list of messages`;
  for (const turn of turns as Array<Record<string, unknown>>) {
    if (typeof turn !== "object" || turn === null) return `${column} holds a message that is not an object`;
    if (!ROLES.has(turn.role as string)) return `${column} holds an unknown role "${String(turn.role)}"`;
    if (typeof turn.content !== "string" || turn.content.trim() === "") return `${column} holds an empty ${String(turn.role)} message`;
  }
  return undefined;
}

function answerProblem(turns: unknown, column: string): string | undefined {
  const problem = turnsProblem(turns, column);
  if (problem) return problem;
  const list = turns as ChatTurn[];
  if (list.length !== 1 || list[0]!.role !== "assistant") return `${column} must be exactly one assistant message`;
  return undefined;
}

function promptProblem(turns: unknown): string | undefined {
  const problem = turnsProblem(turns, "prompt");
  if (problem) return problem;
  const list = turns as ChatTurn[];
  if (list[list.length - 1]!.role !== "user") return "prompt must end with the user's message";
  return undefined;
}

/** What breaks TRL's preference rules in a line, or undefined when it is valid. */
export function dpoRecordProblem(record: DpoRecord): string | undefined {
  const problem = promptProblem(record.prompt) ?? answerProblem(record.chosen, "chosen") ?? answerProblem(record.rejected, "rejected");
  if (problem) return problem;
  if (record.chosen[0]!.content === record.rejected[0]!.content) return "chosen and rejected are the same answer";
  return undefined;
}

/** What breaks TRL's unpaired-preference rules in a line, or undefined when it is valid. */
export function ktoRecordProblem(record: KtoRecord): string | undefined {
  const problem = promptProblem(record.prompt) ?? answerProblem(record.completion, "completion");
  if (problem) return problem;
  if (typeof record.label !== "boolean") return "label must be true or false";
  return undefined;
}
