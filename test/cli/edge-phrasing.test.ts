/**
 * One input error, two phrasings: the library's field names (what HTTP shows) and the flags of
 * the command that ran (what the CLI shows); and the CLI's tables round what --json keeps whole.
 */
import { describe, expect, it } from "vitest";
import { renderAnalytics } from "../../src/cli/commands/analytics.js";
import { renderFeedbackStats } from "../../src/cli/commands/feedback.js";
import { importInteractions as importer } from "../../src/cli/commands/interactions.js";
import { add, validate } from "../../src/cli/commands/queue.js";
import { flagNamer } from "../../src/cli/flag-names.js";
import { InvalidInputError } from "../../src/errors.js";

describe("errors carry fields that each edge names", () => {
  it("names fields by the flag or argument of the command that ran, and leaves others as they are", () => {
    expect(["validated_by", "notes", "require_approvals"].map(flagNamer(validate))).toEqual(["--by", "--notes", "--require-approvals"]);
    expect(["interaction_id", "quality_score", "task_types"].map(flagNamer(add))).toEqual(["<interaction-id>", "--quality", "--task"]);
    expect(["user_id", "analysis.fluency_score"].map(flagNamer(importer))).toEqual(["user_id", "analysis.fluency_score"]);
  });

  it("keeps the library's names in the message and rebuilds it with an edge's names", () => {
    const error = InvalidInputError.forFields("cannot approve example 42", [
      { field: "notes", reason: "add a note" },
      { field: "validated_by", reason: "must not be empty" },
    ]);
    expect(error.message).toBe("cannot approve example 42: notes: add a note; validated_by: must not be empty");
    expect(error.phrase(flagNamer(validate))).toBe("cannot approve example 42: --notes: add a note; --by: must not be empty");
    expect(error.issues).toEqual([
      { field: "notes", reason: "add a note" },
      { field: "validated_by", reason: "must not be empty" },
    ]);
    expect(new InvalidInputError("plain").phrase(flagNamer(validate))).toBe("plain");
  });
});

describe("tables round, the data does not", () => {
  it("shows feedback stats to 2 and 1 places", () => {
    const text = renderFeedbackStats({ avg_rating: 11 / 3, total_feedbacks: 3, helpful_percentage: 200 / 3, accurate_percentage: 100, rating_distribution: { "1": 0, "2": 1, "3": 0, "4": 1, "5": 1 }, flagged: 1, days: 30, user_id: null });
    expect(text).toContain("3.67");
    expect(text).toContain("66.7");
    expect(text).not.toContain("3.666");
  });

  it("shows analytics averages to at most 4 places", () => {
    const text = renderAnalytics({ metric: "fluency", group_by: "level", tz: "UTC", data: [{ group: "B1", interactions: 3, avg: 2 / 3, min: 0.5, max: 0.75 }], summary: { groups: 1, interactions: 3, avg: 2 / 3, min: 0.5, max: 0.75 } });
    expect(text).toContain("0.6667");
    expect(text).not.toContain("0.66666");
  });
});
