/**
 * Feedback statistics as `lexi feedback stats` and GET /feedback/stats show them: each figure
 * checked on verdicts chosen so that a wrong count, share or window gives a different answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedbackStats, submitFeedback } from "../../src/services/feedback.js";
import { getInteraction, logInteraction } from "../../src/services/interactions.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { interactionWith } from "../helpers/fixtures.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;
let store: Store;

beforeAll(async () => {
  store = await openStore(":memory:");
  const verdicts = [
    { user_id: "u1", rating: 5, helpful: true, accurate: true, days: 1 },
    { user_id: "u1", rating: 4, helpful: false, accurate: true, days: 2 },
    { user_id: "u2", rating: 2, helpful: true, days: 3 },
    { user_id: "u2", rating: 3, accurate: false, days: 4 },
    { user_id: "u3", rating: 4, reported_issues: ["too_long"], days: 5 },
    { user_id: "u3", rating: 1, helpful: false, accurate: false, days: 20 },
  ];
  for (const [index, { days, ...verdict }] of verdicts.entries()) {
    const { interaction_id } = await logInteraction(store, interactionWith({ fluency_score: 0.5 }, index + 1));
    await submitFeedback(store, { interaction_id, ...verdict, timestamp: new Date(NOW.getTime() - days * DAY).toISOString() }, NOW);
  }
});
afterAll(async () => {
  await store.close();
});

describe("feedback statistics", () => {
  it("count, average and share the verdicts of the window, at full precision", async () => {
    expect(await feedbackStats(store, { days: 7 }, NOW)).toEqual({
      avg_rating: 3.6,
      total_feedbacks: 5,
      helpful_percentage: 40,
      accurate_percentage: 40,
      rating_distribution: { "1": 0, "2": 1, "3": 1, "4": 2, "5": 1 },
      flagged: 3,
      days: 7,
      user_id: null,
    });
  });

  it("widen with the window and narrow to one learner", async () => {
    expect(await feedbackStats(store, { days: 30 }, NOW)).toMatchObject({ total_feedbacks: 6, avg_rating: 19 / 6, flagged: 4, rating_distribution: { "1": 1, "2": 1, "3": 1, "4": 2, "5": 1 } });
    expect(await feedbackStats(store, { days: 30, user_id: "u2" }, NOW)).toEqual({
      avg_rating: 2.5,
      total_feedbacks: 2,
      helpful_percentage: 50,
      accurate_percentage: 0,
      rating_distribution: { "1": 0, "2": 1, "3": 1, "4": 0, "5": 0 },
      flagged: 2,
      days: 30,
      user_id: "u2",
    });
    expect((await feedbackStats(store, { days: 2 }, NOW)).total_feedbacks).toBe(2);
  });

  it("are zeros, not NaN, for a window without verdicts", async () => {
    expect(await feedbackStats(store, { days: 7, user_id: "nobody" }, NOW)).toEqual({
      avg_rating: 0,
      total_feedbacks: 0,
      helpful_percentage: 0,
      accurate_percentage: 0,
      rating_distribution: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 },
      flagged: 0,
      days: 7,
      user_id: "nobody",
    });
  });
});

describe("an interaction's feedback", () => {
  it("shows the latest verdict, the mean quality of all and every reported issue once", async () => {
    const { interaction_id } = await logInteraction(store, interactionWith({ fluency_score: 0.5 }, 40));
    await submitFeedback(store, { interaction_id, user_id: "learner-x", rating: 2, reported_issues: ["too_long", "off_topic"] }, new Date(NOW.getTime() - 2000));
    const second = await submitFeedback(store, { interaction_id, user_id: "learner-y", rating: 5, helpful: true, accurate: true, feedback_text: "great", reported_issues: ["too_long"] }, new Date(NOW.getTime() - 1000));
    expect(second).toMatchObject({ quality_score: 0.7, flagged: true, replaced: false });
    const interaction = await getInteraction(store, interaction_id);
    expect(interaction.user_feedback).toEqual({ rating: 5, helpful: true, accurate: true, feedback_text: "great", reported_issues: ["too_long"] });
    expect([...(interaction.reported_issues as string[])].sort()).toEqual(["off_topic", "too_long"]);
    expect(interaction.quality_score).toBe(0.7);
  });
});

describe("flagged verdicts", () => {
  /** The statistics of a fresh store where each verdict rates an interaction of its own. */
  async function statsOf(verdicts: Array<{ rating: number; helpful?: boolean; accurate?: boolean; reported_issues?: string[] }>) {
    const own = await openStore(":memory:");
    try {
      for (const [index, verdict] of verdicts.entries()) {
        const { interaction_id } = await logInteraction(own, interactionWith({ fluency_score: 0.5 }, index + 1));
        await submitFeedback(own, { interaction_id, user_id: `u${index}`, ...verdict, timestamp: NOW.toISOString() }, NOW);
      }
      return await feedbackStats(own, { days: 7 }, NOW);
    } finally {
      await own.close();
    }
  }

  it("count a verdict with several reasons once, reported issues included", async () => {
    const verdicts = [
      { rating: 1, reported_issues: ["wrong"] },
      { rating: 5, accurate: false, reported_issues: ["wrong"] },
      { rating: 4, reported_issues: ["too_long"] },
      { rating: 4, accurate: true },
    ];
    expect(await statsOf(verdicts)).toMatchObject({ total_feedbacks: 4, flagged: 3, avg_rating: 3.5 });
  });

  it("weigh each kind of verdict by how many learners gave it", async () => {
    const verdicts = [5, 5, 5, 1].map((rating) => ({ rating, helpful: true, accurate: rating > 1 }));
    expect(await statsOf(verdicts)).toMatchObject({ total_feedbacks: 4, avg_rating: 4, helpful_percentage: 100, accurate_percentage: 75, flagged: 1, rating_distribution: { "1": 1, "5": 3 } });
  });
});
