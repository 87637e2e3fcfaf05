/**
 * Values people type on the command line, at their edges: --split ratios, --since/--until dates,
 * task names and "did you mean" hints; and when two learner texts are the same example.
 */
import { describe, expect, it } from "vitest";
import { evaluateAutoQueue } from "../../src/domain/auto-queue.js";
import { dedupKey, normalizeText } from "../../src/domain/dedup-key.js";
import { parseDateExpression } from "../../src/domain/date-expression.js";
import { nearName } from "../../src/domain/near-name.js";
import { parseSplit, splitEnds, splitHash } from "../../src/domain/split.js";
import { unknownTaskWarning } from "../../src/domain/task-names.js";
import { improvementTrend } from "../../src/domain/trend.js";

const NOW = new Date("2026-03-08T12:34:56Z");

describe("--split", () => {
  it("reads one to three ratios with spaces around them", () => {
    expect(parseSplit(" 0.8 , 0.2 ")).toEqual([0.8, 0.2]);
    expect(parseSplit("1")).toEqual([1]);
    expect(parseSplit("0.5,0.25,0.25")).toEqual([0.5, 0.25, 0.25]);
  });

  it("refuses four ratios, a negative one, one above 1, or ratios not adding up to 1", () => {
    const range = "--split takes one to three ratios between 0 and 1 (train,validation,test)";
    expect(() => parseSplit("0.25,0.25,0.25,0.25")).toThrow(`${range}; got "0.25,0.25,0.25,0.25"`);
    expect(() => parseSplit("1.5,-0.5")).toThrow(range);
    expect(() => parseSplit("-0.5,1.5")).toThrow(range);
    expect(() => parseSplit("0.9,x")).toThrow(range);
    expect(() => parseSplit("1,-0.5,0.5")).toThrow(range);
    expect(() => parseSplit("1.5")).toThrow(`${range}; got "1.5"`);
    expect(() => parseSplit("0.9,0.05")).toThrow('--split ratios must add up to 1; got "0.9,0.05"');
    expect(parseSplit("0.3333333,0.6666667")).toEqual([0.3333333, 0.6666667]);
  });

  it("refuses a zero ratio among several, but takes a single 1", () => {
    expect(() => parseSplit("1,0")).toThrow('every --split ratio must be above 0 (leave a split out instead); got "1,0"');
    expect(parseSplit("1.0")).toEqual([1]);
  });

  it("gives the last split every group left, even when rounding would not", () => {
    expect(splitEnds(10, [0.34, 0.33, 0.33])).toEqual([3, 7, 10]);
    // Ratios may add up to 1 within 1e-6; the groups that leaves over still go to the last split.
    expect(splitEnds(10_000_000, parseSplit("0.5,0.4999996"))).toEqual([5_000_000, 10_000_000]);
    expect(splitEnds(7, [0.5, 0.5])).toEqual([4, 7]);
    expect(splitEnds(0, [0.9, 0.1])).toEqual([0, 0]);
  });

  it("ranks groups by a sha256 of seed and group, so the seed reorders them", () => {
    expect(splitHash("learner-1", 7)).toMatch(/^[0-9a-f]{64}$/);
    expect(splitHash("learner-1", 7)).toBe(splitHash("learner-1", 7));
    expect(splitHash("learner-1", 8)).not.toBe(splitHash("learner-1", 7));
    expect(splitHash("learner-2", 7)).not.toBe(splitHash("learner-1", 7));
    expect(splitHash("1:x", 7)).not.toBe(splitHash("x", 71));
  });
});

describe("--since and --until", () => {
  it("trims what was typed, for ISO dates as well as ages", () => {
    expect(parseDateExpression(" 2026-03-01 ", NOW)).toBe("2026-03-01");
    expect(parseDateExpression(" 2d ", NOW)).toBe("2026-03-06T12:34:56.000Z");
    expect(parseDateExpression("3 d", NOW)).toBe("2026-03-05T12:34:56.000Z");
    expect(parseDateExpression("1h  ago", NOW)).toBe("2026-03-08T11:34:56.000Z");
  });

  it("passes on times with fractions of a second, with or without seconds, and zones with or without a colon", () => {
    for (const iso of ["2026-03-01T08:00:00.123456Z", "2026-03-01T08:00Z", "2026-03-01 08:00:00+0700", "2026-03-01T08:00:00-05:00"]) expect(parseDateExpression(iso, NOW)).toBe(iso);
  });

  it("refuses text around a date or an age, and a dot without digits", () => {
    for (const bad of ["on 2026-03-01", "2026-03-01T08:00:00.Z", "2026-03-01T08:00:00Z!", "x7d", "7d later", "7xd", "7d  agoo", "2026-03-01T08:00:00+07"]) {
      expect(() => parseDateExpression(bad, NOW)).toThrow(`a date takes an ISO date (2026-03-01)`);
    }
  });
});

describe("task names", () => {
  it("lists several unknown tasks together, each with its hint", () => {
    expect(unknownTaskWarning(["grammer", "pronunciation_drill", "grammar"])).toBe(
      "grammer (did you mean grammar?), pronunciation_drill are not tasks lexi knows (grammar, fluency, vocabulary, tutor_response); a task of your own is fine, but nothing lexi queued has it",
    );
  });
});

describe("did you mean", () => {
  it("suggests the shortest name that has the word as a part or starts with it (three letters or more)", () => {
    expect(nearName("text", ["feedback_text", "text_note_long", "rating"])).toBe("feedback_text");
    expect(nearName("TEXT", ["long_text_field", "feedback_text"])).toBe("feedback_text");
    expect(nearName("fluen", ["fluency_score_avg", "fluency_score", "grammar"])).toBe("fluency_score");
    expect(nearName("FLUEN", ["Fluency_Score_Avg"])).toBe("Fluency_Score_Avg");
    expect(nearName("flu", ["fluency_score", "rating"])).toBe("fluency_score");
    expect(nearName("fl", ["fluency_score_average_long"])).toBeUndefined();
    expect(nearName("score", ["fluency_score_avg_x"])).toBe("fluency_score_avg_x");
    expect(nearName("core", ["fluency_score"])).toBeUndefined();
    expect(nearName("text", ["abc_text", "xyz_text"])).toBe("abc_text");
  });

  it("suggests a typo fix within one edit in three letters (at least two), the closest first", () => {
    expect(nearName("grammer", ["grammar", "fluency"])).toBe("grammar");
    expect(nearName("GRAMMER", ["Grammar"])).toBe("Grammar");
    expect(nearName("vocabularyy_levle", ["vocabulary_level"])).toBe("vocabulary_level");
    expect(nearName("abcdefghijkl", ["abcdefghwxyz"])).toBe("abcdefghwxyz");
    expect(nearName("abcdefghijkl", ["abcdefgvwxyz"])).toBeUndefined();
    expect(nearName("abcd", ["abxy", "abcx"])).toBe("abcx");
    expect(nearName("abcd", ["abcx", "abcy"])).toBe("abcx");
    expect(nearName("zzzz", ["rating"])).toBeUndefined();
  });
});

describe("the same example", () => {
  it("folds case, width, curly quotes and runs of spaces, and ignores trailing punctuation", () => {
    expect(normalizeText("ＡＢＣ")).toBe("abc");
    expect(normalizeText("He said \u201chi\u201d")).toBe('he said "hi"');
    expect(normalizeText("It\u2019s  fine\t now")).toBe("it's fine now");
    expect(dedupKey("grammar", "I GO home!")).toBe(dedupKey("grammar", "i go home"));
    expect(dedupKey("grammar", "I go home")).not.toBe(dedupKey("fluency", "I go home"));
  });
});

describe("rules at their edges", () => {
  it("queues nothing without a task, even at a high base score, and queues exactly at the minimum score", () => {
    const high = { base: 0.9, minGrammarErrors: 1, maxGrammarErrors: 3, grammarBonus: 0.2, minFluency: 0.7, fluencyBonus: 0.2, minVocabularyLevel: "B2" as const, vocabularyBonus: 0.1, minScore: 0.8 };
    expect(evaluateAutoQueue({ grammar_errors: [], fluency_score: 0.1, vocabulary_level: "A1" }, high)).toEqual({ score: 0.9, tasks: [], queue: false });
    expect(evaluateAutoQueue({ grammar_errors: [], fluency_score: 0.1, vocabulary_level: "B2" }, { ...high, base: 0.7 })).toEqual({ score: 0.8, tasks: ["vocabulary"], queue: true });
  });

  it("calls a trend only past the threshold, and a single snapshot stable", () => {
    expect(improvementTrend([], 0.1)).toBe("stable");
    expect(improvementTrend([0.5], 0.6000000001)).toBe("stable");
    expect(improvementTrend([0.5], 0.3999999999)).toBe("stable");
    expect(improvementTrend([0.5], 0.6000001)).toBe("improving");
    expect(improvementTrend([0.5], 0.3999999)).toBe("declining");
  });
});
