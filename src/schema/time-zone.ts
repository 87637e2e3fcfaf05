/**
 * Time zones as both engines accept them. MongoDB's date operators look a tz-database name up
 * exactly (case included) and refuse anything else with error 40485, and they accept UTC offsets
 * as "+hh:mm", "+hhmm" or "+hh". `Intl` ignores case and knows only part of the backward names,
 * so a zone is canonicalized here, before any engine sees it: the tz database's own spelling of
 * the name given (aliases such as UCT or Asia/Saigon stay themselves, since an older server may
 * not know the newer name), every UTC alias as "UTC", and offsets as ±hh:mm. The fixed
 * Etc/GMT±N zones become offsets too, with POSIX's inverted sign resolved (Etc/GMT-7 is UTC+7):
 * the same instant on both engines, and no sign to misread.
 */
import { getAllTimezones } from "countries-and-timezones";
import * as z from "zod";

/** Every tz-database name, current and backward, by its lower-case spelling. */
let byLowerCase: Map<string, { name: string; utc: boolean }> | undefined;

function zoneIndex(): Map<string, { name: string; utc: boolean }> {
  if (!byLowerCase) {
    const zones = getAllTimezones({ deprecated: true });
    byLowerCase = new Map(
      Object.values(zones)
        // "Factory" is the tz database's placeholder for "no zone set", not a place.
        .filter((zone) => zone.name !== "Factory")
        .map((zone) => {
          const target = zone.aliasOf ?? zone.name;
          return [zone.name.toLowerCase(), { name: zone.name, utc: target === "Etc/UTC" || target === "Etc/GMT" }];
        }),
    );
  }
  return byLowerCase;
}

const OFFSET = /^([+-])(\d{2})(?::?(\d{2}))?$/;
const ETC_GMT = /^Etc\/GMT([+-])(\d{1,2})$/;

/**
 * The exact spelling of a time zone, or undefined when it is none.
 *
 * @example
 * canonicalTimeZone("asia/ho_chi_minh") // "Asia/Ho_Chi_Minh"
 * canonicalTimeZone("UCT")              // "UTC"
 * canonicalTimeZone("+0700")            // "+07:00"
 * canonicalTimeZone("etc/gmt-7")        // "+07:00"
 */
export function canonicalTimeZone(input: string): string | undefined {
  const text = input.trim();
  const offset = OFFSET.exec(text);
  if (offset) {
    const [, sign, hours, minutes = "00"] = offset;
    if (Number(hours) > 14 || Number(minutes) > 59) return undefined;
    return `${sign}${hours}:${minutes}`;
  }
  const zone = zoneIndex().get(text.toLowerCase());
  if (!zone) return undefined;
  if (zone.utc) return "UTC";
  const etc = ETC_GMT.exec(zone.name);
  if (etc) return `${etc[1] === "-" ? "+" : "-"}${etc[2]!.padStart(2, "0")}:00`;
  return zone.name;
}

export const TimeZone = z.string().transform((zone, context) => {
  const canonical = canonicalTimeZone(zone);
  if (canonical === undefined) {
    context.addIssue({ code: "custom", message: "is not an IANA time zone: use a name such as UTC or Asia/Ho_Chi_Minh, or an offset such as +07:00" });
    return z.NEVER;
  }
  return canonical;
});
