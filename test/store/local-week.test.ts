import { describe, expect, it } from "vitest";
import { mondayOfLocalDay, parseMondayOfLocalDay } from "../../src/store/local-week.js";

describe("the Monday of a local day, as an expression", () => {
  it("is recognized with its field and zone", () => {
    expect(parseMondayOfLocalDay(mondayOfLocalDay("timestamp", "Asia/Kolkata"))).toEqual({ dateField: "timestamp", timezone: "Asia/Kolkata" });
    expect(parseMondayOfLocalDay(mondayOfLocalDay("a.b"))).toEqual({ dateField: "a.b" });
  });

  it("is not recognized once anything in it differs", () => {
    const week = mondayOfLocalDay("timestamp", "+05:30") as { $let: { vars: { day: unknown }; in: { $dateToString: Record<string, unknown> } } };
    const changed = structuredClone(week);
    changed.$let.in.$dateToString.format = "%Y-%m";
    expect(parseMondayOfLocalDay(changed)).toBeUndefined();
    const otherDay = structuredClone(week);
    otherDay.$let.vars.day = { $dateFromString: { dateString: { $dateToString: { date: "$$ROOT", format: "%Y-%m-%d" } } } };
    expect(parseMondayOfLocalDay(otherDay)).toBeUndefined();
    expect(parseMondayOfLocalDay({ $dateToString: { date: "$timestamp", format: "%Y-%m-%d" } })).toBeUndefined();
    expect(parseMondayOfLocalDay(null)).toBeUndefined();
  });
});
