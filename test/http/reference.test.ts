/**
 * Analytics and feedback statistics over HTTP against a computation in this file, from the
 * generated inputs rather than from the store: averages must be the very same doubles, and
 * feedback statistics must round as Python's `round` does (a tie included).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/domain/random.js";
import type { FeedbackInput } from "../../src/schema/feedback.js";
import type { InteractionInput } from "../../src/schema/interaction.js";
import { feedbackStats, submitFeedback } from "../../src/services/feedback.js";
import { logInteraction } from "../../src/services/interactions.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { serveForTest, type TestServer } from "../helpers/http.js";
import { pythonRoundReference } from "../helpers/python-round-reference.js";
import { mondayOf, wireInteractions } from "../helpers/wire-data.js";

const BASE = "/api/v1/training";
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function referenceStats(verdicts: FeedbackInput[]) {
  const n = verdicts.length;
  if (n === 0) return { avg_rating: 0, total_feedbacks: 0, helpful_percentage: 0, accurate_percentage: 0 };
  return {
    avg_rating: pythonRoundReference(sum(verdicts.map((v) => v.rating)) / n, 2),
    total_feedbacks: n,
    helpful_percentage: pythonRoundReference((verdicts.filter((v) => v.helpful === true).length / n) * 100, 1),
    accurate_percentage: pythonRoundReference((verdicts.filter((v) => v.accurate === true).length / n) * 100, 1),
  };
}

const groupOf = (input: InteractionInput, groupBy: string) => {
  const time = input.timestamp as Date;
  if (groupBy === "week") return mondayOf(time);
  if (groupBy === "month") return time.toISOString().slice(0, 7);
  if (groupBy === "level") return input.analysis.vocabulary_level;
  return time.toISOString().slice(0, 10);
};

function referenceGroups(inputs: InteractionInput[], groupBy: string): Map<string, InteractionInput[]> {
  const groups = new Map<string, InteractionInput[]>();
  for (const input of inputs) groups.set(groupOf(input, groupBy), [...(groups.get(groupOf(input, groupBy)) ?? []), input]);
  return groups;
}

describe("numbers over HTTP equal an independent computation", () => {
  let store: Store;
  let server: TestServer;
  let inputs: InteractionInput[];
  const verdicts: FeedbackInput[] = [];

  beforeAll(async () => {
    store = await openStore(":memory:");
    inputs = wireInteractions(500, 29);
    const ids: string[] = [];
    for (const input of inputs) ids.push((await logInteraction(store, input)).interaction_id);
    const random = new SeededRandom(29);
    for (const id of ids.slice(0, 180)) {
      for (const user of ["rater-a", "rater-b"].slice(0, random.int(1, 2))) {
        const verdict: FeedbackInput = { interaction_id: id, user_id: user, rating: random.int(1, 5) };
        if (random.chance(0.8)) verdict.helpful = random.chance(0.7);
        if (random.chance(0.8)) verdict.accurate = random.chance(0.75);
        verdicts.push(verdict);
        await submitFeedback(store, verdict);
      }
    }
    server = await serveForTest(store);
  });
  afterAll(async () => {
    await server.close();
  });

  it("feedback stats: all learners, each learner, and none", async () => {
    expect((await server.get(`${BASE}/feedback/stats`)).json).toMatchObject(referenceStats(verdicts));
    for (const user of ["rater-a", "rater-b", "nobody"]) {
      const answer = await server.get(`${BASE}/feedback/stats`, { user_id: user, days: 30 });
      expect(answer.json).toMatchObject(referenceStats(verdicts.filter((v) => v.user_id === user)));
    }
  });

  it.each(["day", "week", "month", "level"])("fluency by %s: each group's average, count, and the summary", async (groupBy) => {
    const answer = await server.send("POST", `${BASE}/analytics`, { json: { metric: "fluency", group_by: groupBy } });
    const groups = referenceGroups(inputs, groupBy);
    const expected = [...groups.entries()].map(([group, items]) => ({
      _id: group,
      avg_score: sum(items.map((i) => i.analysis.fluency_score)) / items.length,
      count: items.length,
    }));
    const rows = answer.json.data.map((row: Record<string, unknown>) => ({ _id: row._id, avg_score: row.avg_score, count: row.count }));
    expect([...rows].sort((a, b) => (a._id < b._id ? -1 : 1))).toEqual(expected.sort((a, b) => (a._id < b._id ? -1 : 1)));
    const averages = expected.map((row) => row.avg_score);
    expect(answer.json.summary).toMatchObject({
      overall_avg: sum(inputs.map((i) => i.analysis.fluency_score)) / inputs.length,
      min: Math.min(...averages),
      max: Math.max(...averages),
      total_interactions: inputs.length,
    });
  });

  it.each(["day", "week", "level"])("grammar by %s: errors and counts per group, and the summary", async (groupBy) => {
    const answer = await server.send("POST", `${BASE}/analytics`, { json: { metric: "grammar", group_by: groupBy } });
    const expected = [...referenceGroups(inputs, groupBy).entries()].map(([group, items]) => ({
      _id: group,
      total_errors: sum(items.map((i) => i.analysis.grammar_errors?.length ?? 0)),
      count: items.length,
    }));
    const rows = answer.json.data.map((row: Record<string, unknown>) => ({ _id: row._id, total_errors: row.total_errors, count: row.count }));
    expect([...rows].sort((a, b) => (a._id < b._id ? -1 : 1))).toEqual(expected.sort((a, b) => (a._id < b._id ? -1 : 1)));
    const errors = sum(expected.map((row) => row.total_errors));
    expect(answer.json.summary).toMatchObject({ total_errors: errors, total_interactions: inputs.length, avg_errors_per_interaction: errors / inputs.length });
  });
});

describe("feedback stats round as Python's round: the exact value, ties to even", () => {
  it("answers 3.125 as 3.12, 81.25 as 81.2 and 68.75 as 68.8 over HTTP; the library keeps full precision", async () => {
    const store = await openStore(":memory:");
    const ratings = [5, 5, 5, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1];
    expect(sum(ratings)).toBe(50);
    for (const [i, input] of wireInteractions(16, 31).entries()) {
      const { interaction_id } = await logInteraction(store, input);
      await submitFeedback(store, { interaction_id, user_id: "tie", rating: ratings[i]!, helpful: i < 13, accurate: i < 11 });
    }
    const server = await serveForTest(store);
    try {
      expect(await feedbackStats(store, { user_id: "tie" })).toMatchObject({ avg_rating: 3.125, helpful_percentage: 81.25, accurate_percentage: 68.75 });
      const answer = await server.get(`${BASE}/feedback/stats`, { user_id: "tie" });
      expect(answer.json).toMatchObject({ avg_rating: 3.12, total_feedbacks: 16, helpful_percentage: 81.2, accurate_percentage: 68.8 });
    } finally {
      await server.close();
    }
  });
});
