import { describe, expect, it } from "vitest";
import { parseLevel } from "../../src/domain/cefr.js";
import { parseDateExpression } from "../../src/domain/date-expression.js";
import { KNOWN_TASKS, unknownTaskWarning } from "../../src/domain/task-names.js";
import { InvalidInputError } from "../../src/errors.js";

const NOW = new Date("2026-03-08T12:34:56Z");

describe("dates for --since and --until", () => {
  it.each([
    ["7d", "2026-03-01T12:34:56.000Z"],
    ["12h", "2026-03-08T00:34:56.000Z"],
    ["2w", "2026-02-22T12:34:56.000Z"],
    ["30m ago", "2026-03-08T12:04:56.000Z"],
    ["today", "2026-03-08T00:00:00.000Z"],
    ["Yesterday", "2026-03-07T00:00:00.000Z"],
    ["now", "2026-03-08T12:34:56.000Z"],
  ])("reads %s relative to now", (text, expected) => {
    expect(parseDateExpression(text, NOW)).toBe(expected);
  });

  it("passes ISO dates and times on as given", () => {
    expect(parseDateExpression("2026-03-01", NOW)).toBe("2026-03-01");
    expect(parseDateExpression("2026-03-01T08:00:00+07:00", NOW)).toBe("2026-03-01T08:00:00+07:00");
  });

  it("refuses other text, naming the accepted forms", () => {
    expect(() => parseDateExpression("last tuesday", NOW, "--since")).toThrow(InvalidInputError);
    expect(() => parseDateExpression("last tuesday", NOW, "--since")).toThrow(/--since takes an ISO date \(2026-03-01\).*today, yesterday.*7d.*got "last tuesday"/);
    expect(() => parseDateExpression("2026-03-01T08:00", NOW)).toThrow(/with its zone/);
  });
});

describe("levels", () => {
  it("accept any case", () => {
    expect(parseLevel("b2")).toBe("B2");
    expect(parseLevel(" c1 ")).toBe("C1");
  });

  it("refuse others, naming the six", () => {
    expect(() => parseLevel("B3")).toThrow('--level takes a CEFR level: A1, A2, B1, B2, C1, C2 (any case); got "B3"');
  });
});

describe("task names", () => {
  it("say nothing for known tasks", () => {
    expect(KNOWN_TASKS).toEqual(expect.arrayContaining(["grammar", "fluency", "vocabulary"]));
    expect(unknownTaskWarning(["grammar", "fluency"])).toBeUndefined();
  });

  it("warn on a typo with the near name and the known ones", () => {
    expect(unknownTaskWarning(["grammer"])).toMatch(/^grammer \(did you mean grammar\?\) is not a task lexi knows \(grammar, fluency, vocabulary/);
    expect(unknownTaskWarning(["pronunciation_drill"])).toMatch(/^pronunciation_drill is not a task lexi knows/);
  });
});
