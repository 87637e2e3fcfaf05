import { describe, expect, it } from "vitest";
import { canonicalTimeZone } from "../../src/schema/time-zone.js";

describe("time zones are spelled as MongoDB looks them up", () => {
  it.each([
    ["asia/ho_chi_minh", "Asia/Ho_Chi_Minh"],
    ["ASIA/SAIGON", "Asia/Saigon"],
    ["america/port-au-prince", "America/Port-au-Prince"],
    ["us/eastern", "US/Eastern"],
    ["europe/kiev", "Europe/Kiev"],
    ["UCT", "UTC"],
    ["etc/utc", "UTC"],
    ["GMT", "UTC"],
    ["Etc/GMT-7", "+07:00"],
    ["etc/gmt+5", "-05:00"],
    ["+0700", "+07:00"],
    ["-05", "-05:00"],
    ["+05:30", "+05:30"],
  ])("%s → %s", (given, canonical) => {
    expect(canonicalTimeZone(given)).toBe(canonical);
  });

  it.each(["Mars/Olympus", "Factory", "+15:00", "+07:75", "", "Asia/"])("refuses %j", (given) => {
    expect(canonicalTimeZone(given)).toBeUndefined();
  });
});
